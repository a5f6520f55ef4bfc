import { problemsOf, tempDataDir as dataDir } from '../../test/support/config';
import { loadConfiguration } from './configuration';

describe('loadConfiguration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfiguration({ DATA_DIR: dataDir() });
    expect(config.otp).toMatchObject({
      length: 6,
      ttlSeconds: 600,
      maxAttempts: 5,
      resendSeconds: 60,
      maxSendsPerHour: 5,
      signup: true,
    });
    expect(config.auth).toMatchObject({
      accessTtlSeconds: 900,
      refreshTtlSeconds: 86_400,
      refreshMaxTtlSeconds: 2_592_000,
      clockToleranceSeconds: 30,
      reuseGraceSeconds: 10,
    });
    expect(config.rateLimit).toMatchObject({
      enabled: true,
      sendPerMinute: 10,
      verifyPerMinute: 30,
      refreshPerMinute: 60,
      passwordFailures: 10,
      passwordFailureWindowSeconds: 900,
    });
    expect(config.app.port).toBe(3000);
    expect(config.mail.transport).toBe('outbox');
    expect(config.mail).toMatchObject({ useTls: false, useSsl: false });
    expect(config.database.url).toBeUndefined();
    expect(config.app.trustProxy).toBe(false);
  });

  it('names every bad variable with what is wrong', () => {
    const problems = problemsOf({
      DATA_DIR: dataDir(),
      OTP_LENGTH: '3',
      PORT: 'abc',
      JWT_ACCESS_TTL: '15 minutes',
      METRICS_ENABLED: 'maybe',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^JWT_ACCESS_TTL must be whole seconds or a number with a unit/),
      expect.stringMatching(/^PORT must be a whole number/),
      expect.stringMatching(/^METRICS_ENABLED must be true or false/),
      expect.stringMatching(/^OTP_LENGTH must be a whole number from 4 to 10 \(got "3"\)/),
    ]);
  });

  it('refuses production without secret, database, Redis and SMTP', () => {
    const problems = problemsOf({ NODE_ENV: 'production', DATA_DIR: dataDir() });
    expect(problems.join('\n')).toContain('SECRET_KEY is required when NODE_ENV=production');
    expect(problems.join('\n')).toContain('DATABASE_URL is required');
    expect(problems.join('\n')).toContain('REDIS_URL is required');
    expect(problems.join('\n')).toContain('EMAIL_HOST is required');
  });
});
