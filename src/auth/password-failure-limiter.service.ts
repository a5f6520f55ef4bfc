import { Inject, Injectable } from '@nestjs/common';
import { AtomicStore } from '../cache/atomic-store';
import { AppException } from '../common/errors/app.exception';
import { deriveKey, hmacHex } from '../common/secrets';
import { secretConfig, SecretConfig } from '../config/secret.config';
import { rateLimitConfig, RateLimitConfig } from '../rate-limit/rate-limit.config';

/** The 429 message once an email has used up its failed password logins. */
export const PASSWORD_FAILURES_SENTENCE = 'Too many failed sign-in attempts. Try again later.';

/**
 * At most RATE_LIMIT_PASSWORD_FAILURES failed password logins per canonical email in the window,
 * whatever the IPs; counted the same for unknown emails so the answer reveals nothing.
 */
@Injectable()
export class PasswordFailureLimiterService {
  private readonly keyMaterial: Buffer;

  constructor(
    private readonly store: AtomicStore,
    @Inject(rateLimitConfig.KEY) private readonly config: RateLimitConfig,
    @Inject(secretConfig.KEY) secret: SecretConfig,
  ) {
    this.keyMaterial = deriveKey(secret.key, 'rate-limit');
  }

  /** Throws 429 while the email has used up its failures. */
  async assertAllowed(email: string): Promise<void> {
    if (!this.config.enabled) return;
    const failures = Number((await this.store.get(this.key(email))) ?? 0);
    if (failures >= this.config.passwordFailures) {
      throw AppException.rateLimited(
        this.config.passwordFailureWindowSeconds,
        PASSWORD_FAILURES_SENTENCE,
      );
    }
  }

  async recordFailure(email: string): Promise<void> {
    await this.store.increment(this.key(email), this.config.passwordFailureWindowSeconds * 1000);
  }

  /** Keys name a keyed hash of the email, never the address. */
  private key(email: string): string {
    return `pwfail:${hmacHex(this.keyMaterial, email).slice(0, 32)}`;
  }
}
