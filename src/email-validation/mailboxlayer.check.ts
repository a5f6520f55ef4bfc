import { Inject, Injectable, Logger } from '@nestjs/common';
import { AtomicStore } from '../cache/atomic-store';
import { deriveKey, hmacHex } from '../common/secrets';
import { emailValidationConfig, EmailValidationConfig } from './email-validation.config';
import { secretConfig, SecretConfig } from '../config/secret.config';
import { EmailCheck, REASONS } from './email-check';

const VERDICT_TTL_MS = 24 * 3_600_000;

/** The Mailboxlayer fields the rules read; cached as is, so changed rules apply to cached verdicts. */
export interface MailboxlayerVerdict {
  format_valid: boolean;
  mx_found: boolean | null;
  smtp_check: boolean | null;
  disposable: boolean | null;
}

/**
 * Asks Mailboxlayer about an address (only built when MAILBOXLAYER_API_KEY is set). Its own errors
 * arrive as HTTP 200 with `success: false`; those, other statuses, bad JSON, network errors and
 * timeouts are provider failures, never cached, and EMAIL_VALIDATION_FAIL_OPEN decides them.
 * The API key appears only in the request URL: never in logs or errors.
 */
@Injectable()
export class MailboxlayerCheck implements EmailCheck {
  private readonly logger = new Logger('EmailValidation');
  private readonly cacheKey: Buffer;

  constructor(
    @Inject(emailValidationConfig.KEY) private readonly config: EmailValidationConfig,
    private readonly cache: AtomicStore,
    @Inject(secretConfig.KEY) secret: SecretConfig,
  ) {
    this.cacheKey = deriveKey(secret.key, 'email-verdict');
  }

  async check(email: string): Promise<string | undefined> {
    const key = `email-verdict:${hmacHex(this.cacheKey, email).slice(0, 32)}`;
    let verdict = await this.cache.getJson<MailboxlayerVerdict>(key).catch(() => undefined);
    if (!verdict) {
      verdict = await this.ask(email);
      if (!verdict) return this.config.failOpen ? undefined : REASONS.unverifiable;
      await this.cache.setJson(key, verdict, VERDICT_TTL_MS).catch(() => undefined);
    }
    return this.judge(verdict);
  }

  private judge(verdict: MailboxlayerVerdict): string | undefined {
    if (!verdict.format_valid) return REASONS.syntax;
    if (this.config.rejectNoMx && verdict.mx_found === false) return REASONS.noMx;
    if (this.config.rejectDisposable && verdict.disposable === true) return REASONS.disposable;
    if (this.config.rejectSmtpFail && verdict.smtp_check === false) return REASONS.smtpFail;
    return undefined;
  }

  /** The verdict, or undefined when the provider failed. */
  private async ask(email: string): Promise<MailboxlayerVerdict | undefined> {
    const url = new URL(this.config.mailboxlayerUrl);
    url.searchParams.set('access_key', this.config.mailboxlayerApiKey ?? '');
    url.searchParams.set('email', email);
    url.searchParams.set('smtp', '1');
    url.searchParams.set('format', '1');
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.config.mailboxlayerTimeoutMs),
      });
      if (!response.ok) return this.failed(`HTTP ${response.status}`);
      const body = (await response.json()) as Record<string, unknown> | null;
      if (body?.success === false) {
        const error = body.error as { code?: unknown; type?: unknown } | undefined;
        return this.failed(`error ${String(error?.code)} ${String(error?.type)}`);
      }
      if (typeof body?.format_valid !== 'boolean') return this.failed('an unexpected answer');
      return {
        format_valid: body.format_valid,
        mx_found: typeof body.mx_found === 'boolean' ? body.mx_found : null,
        smtp_check: typeof body.smtp_check === 'boolean' ? body.smtp_check : null,
        disposable: typeof body.disposable === 'boolean' ? body.disposable : null,
      };
    } catch (error) {
      // Only the error's name and code: a message could quote the URL, and so the key.
      const { name, cause } = error as { name?: string; cause?: { code?: string } };
      return this.failed(
        name === 'TimeoutError' ? 'a timeout' : `${name ?? 'Error'} ${cause?.code ?? ''}`.trim(),
      );
    }
  }

  private failed(what: string): undefined {
    this.logger.warn(
      `Mailboxlayer failed with ${what}; the address is ${this.config.failOpen ? 'accepted' : 'refused'} (EMAIL_VALIDATION_FAIL_OPEN=${this.config.failOpen})`,
    );
    return undefined;
  }
}
