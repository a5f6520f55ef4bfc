import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AtomicStore } from '../cache/atomic-store';
import { AppException } from '../common/errors/app.exception';
import { accountProtectionConfig, AccountProtectionConfig } from './account-protection.config';

export const BREACHED_PASSWORD = 'This password has appeared in a data breach. Choose another.';

const TIMEOUT_MS = 2000;
const RANGE_TTL_MS = 24 * 3_600_000;
const FAILURES_BEFORE_PAUSE = 3;
const PAUSE_MS = 5 * 60_000;

/**
 * Passwords known from public breaches, through the Have I Been Pwned range API (k-anonymity:
 * only the first 5 hex digits of the SHA-1 leave; padded answers hide the range's real size).
 * Ranges are kept 24 h in the shared cache. The API is a help, never a dependency: when it fails
 * the bundled common-password list still applies, and after 3 failures in a row it is not asked
 * for 5 minutes, so an outage costs a few 2-second waits and then none.
 */
@Injectable()
export class BreachedPasswordsService {
  private readonly logger = new Logger(BreachedPasswordsService.name);
  private failuresInARow = 0;
  private pausedUntil = 0;

  constructor(
    private readonly store: AtomicStore,
    @Inject(accountProtectionConfig.KEY) private readonly config: AccountProtectionConfig,
  ) {}

  /** 400 with the contract's sentence under `field` when the password is in a known breach. */
  async assertNotBreached(password: string, field: string): Promise<void> {
    if (await this.isBreached(password))
      throw AppException.validation(BREACHED_PASSWORD, { [field]: [BREACHED_PASSWORD] });
  }

  /** False when the check is off or the API could not answer. */
  async isBreached(password: string): Promise<boolean> {
    if (!this.config.breachCheck) return false;
    const sha1 = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
    const suffixes = await this.breachedSuffixes(sha1.slice(0, 5));
    return suffixes?.has(sha1.slice(5)) ?? false;
  }

  private async breachedSuffixes(prefix: string): Promise<Set<string> | null> {
    const key = `hibp:${prefix}`;
    const cached = await this.store.get(key).catch(() => null);
    if (cached !== null) return new Set(cached.split('\n'));
    if (Date.now() < this.pausedUntil) return null;
    const suffixes = await this.fetchRange(prefix);
    if (suffixes === null) return null;
    await this.store.set(key, [...suffixes].join('\n'), RANGE_TTL_MS).catch(() => undefined);
    return suffixes;
  }

  private async fetchRange(prefix: string): Promise<Set<string> | null> {
    try {
      const response = await fetch(`${this.config.hibpUrl}${prefix}`, {
        headers: { 'Add-Padding': 'true' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const suffixes = parseRange(await response.text());
      this.failuresInARow = 0;
      return suffixes;
    } catch (error) {
      this.recordFailure(error);
      return null;
    }
  }

  private recordFailure(error: unknown): void {
    this.failuresInARow += 1;
    const paused = this.failuresInARow >= FAILURES_BEFORE_PAUSE;
    if (paused) {
      this.failuresInARow = 0;
      this.pausedUntil = Date.now() + PAUSE_MS;
    }
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `breached-password check unavailable (${reason}); the common-password list still applies` +
        (paused ? '; not asking again for 5 minutes' : ''),
    );
  }
}

/** `SUFFIX:COUNT` lines; padding lines have count 0 and name no breached password. */
export function parseRange(body: string): Set<string> {
  const suffixes = new Set<string>();
  for (const line of body.split('\n')) {
    const [suffix, count] = line.trim().split(':');
    if (suffix && Number(count) > 0) suffixes.add(suffix.toUpperCase());
  }
  return suffixes;
}
