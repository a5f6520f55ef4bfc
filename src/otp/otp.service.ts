import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
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
  /** The magic link token issued beside the code, when asked for. */
  linkToken?: string;
  expiresAt: Date;
}

/** A code (or link) that matched, not yet used up: pass it to consume(). */
export interface CodeProof {
  key: string;
  digest: string;
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

  /**
   * Enforces the resend cooldown and hourly cap, then replaces any previous code. With `withLink`
   * a magic link token (256 random bits) is issued beside the code: stored only as a keyed hash in
   * the code's record, it shares the code's lifetime and attempts, and using either burns both.
   * Throws 429.
   */
  async issue(email: string, purpose: OtpPurpose, withLink = false): Promise<IssuedCode> {
    await this.enforceSendLimits(email, purpose);
    const code = randomInt(0, 10 ** this.config.length)
      .toString()
      .padStart(this.config.length, '0');
    const ttlMs = this.config.ttlSeconds * 1000;
    const linkToken = withLink ? randomBytes(32).toString('base64url') : undefined;
    const record: Record<string, string> = { h: this.digest(email, purpose, code), a: '0' };
    if (linkToken) {
      record.l = this.linkDigest(purpose, linkToken);
      // The token names no account: this pointer finds the code's record, and only the record's
      // own copy of the hash (replaced by the next code, deleted by a use) makes it valid.
      await this.store.set(this.linkKey(record.l), email, ttlMs);
    }
    await this.store.putRecord(this.codeKey(email, purpose), record, ttlMs);
    return { code, linkToken, expiresAt: new Date(Date.now() + ttlMs) };
  }

  /**
   * True for exactly one caller presenting the right, live, not yet exhausted code: the attempt is
   * counted, compared and the code used up in one atomic step (one round trip). The store compares
   * keyed hashes, so how long a comparison takes tells a caller nothing it could aim with.
   */
  verify(email: string, purpose: OtpPurpose, candidate: string): Promise<boolean> {
    return this.store.incrementThenDeleteIfFieldEquals(
      this.codeKey(email, purpose),
      'a',
      this.config.maxAttempts,
      'h',
      this.digest(email, purpose, candidate),
    );
  }

  /**
   * Counts an attempt and compares, without using the code up: for flows that need two codes
   * right before either is spent. Null when wrong, expired or exhausted.
   */
  async check(email: string, purpose: OtpPurpose, candidate: string): Promise<CodeProof | null> {
    const key = this.codeKey(email, purpose);
    const record = await this.store.incrementAndRead(key, 'a');
    if (!record || Number(record.a) > this.config.maxAttempts) return null;
    return sameHex(record.h, this.digest(email, purpose, candidate))
      ? { key, digest: record.h }
      : null;
  }

  /** Uses up a checked code (and its link); true for exactly one caller. */
  consume(proof: CodeProof): Promise<boolean> {
    return this.store.deleteIfFieldEquals(proof.key, 'h', proof.digest);
  }

  /**
   * The email whose live code this magic link token was issued with, burning code and link; null
   * for an unknown, replaced, used, expired or exhausted one. Counts as an attempt on the code.
   */
  async verifyLink(purpose: OtpPurpose, token: string): Promise<string | null> {
    const linkDigest = this.linkDigest(purpose, token);
    const email = await this.store.get(this.linkKey(linkDigest));
    if (email === null) return null;
    const key = this.codeKey(email, purpose);
    const record = await this.store.incrementAndRead(key, 'a');
    if (!record?.l || Number(record.a) > this.config.maxAttempts) return null;
    if (!sameHex(record.l, linkDigest)) return null;
    return (await this.consume({ key, digest: record.h })) ? email : null;
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

  private linkDigest(purpose: OtpPurpose, token: string): string {
    return hmacHex(this.key, `link\n${purpose}\n${token}`);
  }

  private linkKey(linkDigest: string): string {
    return `otp-link:${linkDigest}`;
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

function sameHex(expectedHex: string, actualHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'hex');
  const actual = Buffer.from(actualHex, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
