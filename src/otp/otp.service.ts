import { Inject, Injectable } from '@nestjs/common';
import { randomInt, timingSafeEqual } from 'node:crypto';
import { AtomicStore } from '../cache/atomic-store';
import { AppException } from '../common/errors/app.exception';
import { deriveKey, hmacHex } from '../common/secrets';
import { otpConfig, OtpConfig } from './otp.config';
import { secretConfig, SecretConfig } from '../config/secret.config';
import { OtpPurpose } from './otp-purpose';

const HOUR_MS = 3_600_000;

/** The 429 messages of the send limits of an email (OTP_RESEND_SECONDS, OTP_MAX_SENDS_PER_HOUR). */
export const RESEND_COOLDOWN_SENTENCE = 'Please wait before requesting another code.';
export const HOURLY_CAP_SENTENCE = 'Too many codes requested for this email. Try again later.';

export interface IssuedCode {
  code: string;
  expiresAt: Date;
}

/**
 * One-time codes bound to (canonical email, purpose): only an HMAC is stored, attempts are counted
 * atomically before comparing, a success deletes the code so exactly one caller can use it.
 */
@Injectable()
export class OtpService {
  private readonly key: Buffer;

  constructor(
    private readonly store: AtomicStore,
    @Inject(otpConfig.KEY) private readonly config: OtpConfig,
    @Inject(secretConfig.KEY) secret: SecretConfig,
  ) {
    this.key = deriveKey(secret.key, 'otp');
  }

  /** Enforces the resend cooldown and hourly cap, then replaces any previous code. Throws 429. */
  async issue(email: string, purpose: OtpPurpose): Promise<IssuedCode> {
    await this.enforceSendLimits(email, purpose);
    const code = randomInt(0, 10 ** this.config.length)
      .toString()
      .padStart(this.config.length, '0');
    const ttlMs = this.config.ttlSeconds * 1000;
    await this.store.putRecord(
      this.codeKey(email, purpose),
      { h: this.digest(email, purpose, code), a: '0' },
      ttlMs,
    );
    return { code, expiresAt: new Date(Date.now() + ttlMs) };
  }

  /** True for exactly one caller presenting the right, live, not yet exhausted code. */
  async verify(email: string, purpose: OtpPurpose, candidate: string): Promise<boolean> {
    const key = this.codeKey(email, purpose);
    const record = await this.store.incrementAndRead(key, 'a');
    if (!record || Number(record.a) > this.config.maxAttempts) return false;
    const expected = Buffer.from(record.h, 'hex');
    const actual = Buffer.from(this.digest(email, purpose, candidate), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return false;
    return this.store.deleteIfFieldEquals(key, 'h', record.h);
  }

  private async enforceSendLimits(email: string, purpose: OtpPurpose): Promise<void> {
    const id = this.emailId(email, purpose);
    if (this.config.resendSeconds > 0) {
      const waitMs = await this.store.setIfAbsent(
        `otp-cooldown:${id}`,
        this.config.resendSeconds * 1000,
      );
      if (waitMs > 0) throw AppException.rateLimited(waitMs / 1000, RESEND_COOLDOWN_SENTENCE);
    }
    const { count, resetMs } = await this.store.increment(`otp-sends:${id}`, HOUR_MS);
    if (count > this.config.maxSendsPerHour) {
      throw AppException.rateLimited(resetMs / 1000, HOURLY_CAP_SENTENCE);
    }
  }

  private digest(email: string, purpose: OtpPurpose, code: string): string {
    return hmacHex(this.key, `${purpose}\n${email}\n${code}`);
  }

  /** Keys name a keyed hash of the email, never the address itself. */
  private emailId(email: string, purpose: OtpPurpose): string {
    return `${purpose}:${hmacHex(this.key, `id\n${email}`).slice(0, 32)}`;
  }

  private codeKey(email: string, purpose: OtpPurpose): string {
    return `otp:${this.emailId(email, purpose)}`;
  }
}
