import { MemoryAtomicStore } from '../cache/memory-atomic-store';
import { EnvReader } from '../config/env-parser';
import { OtpConfig, readOtpConfig } from './otp.config';
import { OtpService } from './otp.service';

/** The documented defaults: 6 digits, 10 minutes, 5 attempts, 60 s cooldown, 5 sends an hour. */
const config: OtpConfig = readOtpConfig(new EnvReader({}));
const email = 'user@example.com';

function service(overrides: Partial<OtpConfig> = {}): OtpService {
  return new OtpService(
    new MemoryAtomicStore(),
    { ...config, ...overrides },
    { key: 'k'.repeat(40), generated: false },
  );
}

describe('OtpService', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('issues codes of the configured length, digits only, leading zeros kept', async () => {
    const otp = service({ length: 4, resendSeconds: 0, maxSendsPerHour: 1000 });
    for (let i = 0; i < 200; i++) {
      const { code } = await otp.issue(`u${i}@example.com`, 'login');
      expect(code).toMatch(/^\d{4}$/);
    }
  });

  it('accepts the right code once', async () => {
    const otp = service();
    const { code } = await otp.issue(email, 'login');
    expect(await otp.verify(email, 'login', code)).toBe(true);
    expect(await otp.verify(email, 'login', code)).toBe(false);
  });

  it('never crosses purposes or emails', async () => {
    const otp = service();
    const { code } = await otp.issue(email, 'login');
    expect(await otp.verify(email, 'register', code)).toBe(false);
    expect(await otp.verify('other@example.com', 'login', code)).toBe(false);
    expect(await otp.verify(email, 'login', code)).toBe(true);
  });

  it('expires after OTP_TTL_SECONDS', async () => {
    const otp = service();
    const { code } = await otp.issue(email, 'login');
    jest.advanceTimersByTime(600_000 + 1);
    expect(await otp.verify(email, 'login', code)).toBe(false);
  });

  it('is still valid just before expiry', async () => {
    const otp = service();
    const { code } = await otp.issue(email, 'login');
    jest.advanceTimersByTime(599_000);
    expect(await otp.verify(email, 'login', code)).toBe(true);
  });

  it('dies after OTP_MAX_ATTEMPTS wrong guesses, even for the right value', async () => {
    const otp = service();
    const { code } = await otp.issue(email, 'login');
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) expect(await otp.verify(email, 'login', wrong)).toBe(false);
    expect(await otp.verify(email, 'login', code)).toBe(false);
  });

  it('replaces the previous code with a new one', async () => {
    const otp = service({ resendSeconds: 0 });
    const first = await otp.issue(email, 'login');
    const second = await otp.issue(email, 'login');
    if (first.code !== second.code)
      expect(await otp.verify(email, 'login', first.code)).toBe(false);
    expect(await otp.verify(email, 'login', second.code)).toBe(true);
  });

  it('enforces the resend cooldown with a Retry-After', async () => {
    const otp = service();
    await otp.issue(email, 'login');
    jest.advanceTimersByTime(20_000);
    await expect(otp.issue(email, 'login')).rejects.toMatchObject({
      name: 'AppException',
      status: 429,
      headers: { 'Retry-After': '40' },
    });
    jest.advanceTimersByTime(40_000);
    await expect(otp.issue(email, 'login')).resolves.toBeDefined();
  });

  it('caps sends per hour per email and purpose', async () => {
    const otp = service();
    for (let i = 0; i < 5; i++) {
      await otp.issue(email, 'login');
      jest.advanceTimersByTime(60_000);
    }
    await expect(otp.issue(email, 'login')).rejects.toMatchObject({
      name: 'AppException',
      headers: { 'Retry-After': String(3600 - 300) },
    });
    await expect(otp.issue(email, 'reset')).resolves.toBeDefined();
    jest.advanceTimersByTime(3_600_000);
    await expect(otp.issue(email, 'login')).resolves.toBeDefined();
  });

  it('lets exactly one of many parallel right submissions through', async () => {
    const otp = service({ maxAttempts: 100 });
    const { code } = await otp.issue(email, 'login');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => otp.verify(email, 'login', code)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('issues a 256-bit link token beside the code that burns the code, and the other way round', async () => {
    const otp = service({ resendSeconds: 0 });
    const first = await otp.issue(email, 'login', true);
    expect(Buffer.from(first.linkToken!, 'base64url')).toHaveLength(32);
    expect(await otp.verifyLink('login', first.linkToken!)).toBe(email);
    expect(await otp.verifyLink('login', first.linkToken!)).toBeNull();
    expect(await otp.verify(email, 'login', first.code)).toBe(false);
    const second = await otp.issue(email, 'login', true);
    expect(await otp.verify(email, 'login', second.code)).toBe(true);
    expect(await otp.verifyLink('login', second.linkToken!)).toBeNull();
  });

  it('lets a link die with a replaced or expired code, and never cross purposes', async () => {
    const otp = service({ resendSeconds: 0 });
    const old = await otp.issue(email, 'login', true);
    const current = await otp.issue(email, 'login', true);
    expect(await otp.verifyLink('login', old.linkToken!)).toBeNull();
    expect(await otp.verifyLink('reset', current.linkToken!)).toBeNull();
    jest.advanceTimersByTime(600_000 + 1);
    expect(await otp.verifyLink('login', current.linkToken!)).toBeNull();
  });

  it('checks without using up, and lets one caller consume', async () => {
    const otp = service();
    const { code } = await otp.issue(email, 'login');
    const proof = await otp.check(email, 'login', code);
    expect(proof).not.toBeNull();
    expect(await otp.check(email, 'login', code)).not.toBeNull();
    expect(await otp.consume(proof!)).toBe(true);
    expect(await otp.consume(proof!)).toBe(false);
    expect(await otp.verify(email, 'login', code)).toBe(false);
  });
});
