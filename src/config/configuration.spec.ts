import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadConfiguration } from './configuration';
import { parseDuration } from './env-parser';

const dataDir = () => mkdtempSync(join(tmpdir(), 'mailguard-config-'));
const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfiguration(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
};

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

  it('refuses a short SECRET_KEY in production', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      SECRET_KEY: 'short',
      DATABASE_URL: 'postgres://db/x',
      REDIS_URL: 'redis://cache:6379',
      EMAIL_HOST: 'smtp.example.com',
    });
    expect(problems).toEqual(['SECRET_KEY must be at least 32 characters long']);
  });

  describe('production mail transport', () => {
    const production = {
      NODE_ENV: 'production',
      SECRET_KEY: 'x'.repeat(32),
      DATABASE_URL: 'postgres://db/x',
      REDIS_URL: 'redis://cache:6379',
      EMAIL_HOST: 'smtp.example.com',
    };

    it('accepts production with every required variable set', () => {
      expect(problemsOf({ ...production, DATA_DIR: dataDir() })).toEqual([]);
    });

    it('refuses MAIL_TRANSPORT=outbox in production', () => {
      expect(problemsOf({ ...production, DATA_DIR: dataDir(), MAIL_TRANSPORT: 'outbox' })).toEqual([
        'MAIL_TRANSPORT must be smtp when NODE_ENV=production',
      ]);
    });
  });

  it('generates a development secret once and keeps it in the data folder', () => {
    const dir = dataDir();
    const first = loadConfiguration({ DATA_DIR: dir }).secret;
    const second = loadConfiguration({ DATA_DIR: dir }).secret;
    expect(first.generated).toBe(true);
    expect(first.key.length).toBeGreaterThanOrEqual(32);
    expect(second.key).toBe(first.key);
    expect(readFileSync(join(dir, 'secret_key'), 'utf8').trim()).toBe(first.key);
  });

  it('parses TRUST_PROXY as a hop count or CIDR list', () => {
    expect(loadConfiguration({ DATA_DIR: dataDir(), TRUST_PROXY: '2' }).app.trustProxy).toBe(2);
    expect(
      loadConfiguration({ DATA_DIR: dataDir(), TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).app
        .trustProxy,
    ).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(problemsOf({ DATA_DIR: dataDir(), TRUST_PROXY: 'everyone' })[0]).toMatch(
      /^TRUST_PROXY must be/,
    );
  });

  it('canonicalizes ADMIN_EMAIL and refuses an invalid one', () => {
    expect(
      loadConfiguration({ DATA_DIR: dataDir(), ADMIN_EMAIL: ' Boss@Example.COM ' }).app.adminEmail,
    ).toBe('boss@example.com');
    expect(problemsOf({ DATA_DIR: dataDir(), ADMIN_EMAIL: 'not-an-email' })).toEqual([
      expect.stringMatching(/^ADMIN_EMAIL must be a valid email address/),
    ]);
  });

  it.each([
    ['True', true],
    ['False', false],
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
  ])('parses EMAIL_USE_TLS and EMAIL_USE_SSL written as %p', (value, expected) => {
    const env = { DATA_DIR: dataDir(), EMAIL_HOST: 'smtp.example.com' };
    expect(loadConfiguration({ ...env, EMAIL_USE_TLS: value }).mail.useTls).toBe(expected);
    expect(loadConfiguration({ ...env, EMAIL_USE_SSL: value }).mail.useSsl).toBe(expected);
  });

  it('refuses an EMAIL_USE_TLS or EMAIL_USE_SSL that is not a boolean', () => {
    expect(
      problemsOf({
        DATA_DIR: dataDir(),
        EMAIL_HOST: 'smtp.example.com',
        EMAIL_USE_TLS: 'sometimes',
        EMAIL_USE_SSL: 'maybe',
      }),
    ).toEqual([
      'EMAIL_USE_TLS must be true or false (got "sometimes")',
      'EMAIL_USE_SSL must be true or false (got "maybe")',
    ]);
  });

  it('refuses EMAIL_USE_TLS and EMAIL_USE_SSL both on, as Django does', () => {
    expect(
      problemsOf({
        DATA_DIR: dataDir(),
        EMAIL_HOST: 'smtp.example.com',
        EMAIL_USE_TLS: 'True',
        EMAIL_USE_SSL: 'True',
      }),
    ).toEqual(['EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive']);
  });

  it('reads the SMTP credentials from EMAIL_HOST_USER and EMAIL_HOST_PASSWORD', () => {
    const mail = loadConfiguration({
      DATA_DIR: dataDir(),
      EMAIL_HOST: 'smtp.example.com',
      EMAIL_PORT: '587',
      EMAIL_HOST_USER: 'mailer@example.com',
      EMAIL_HOST_PASSWORD: 'app-password',
    }).mail;
    expect(mail).toMatchObject({
      host: 'smtp.example.com',
      port: 587,
      user: 'mailer@example.com',
      password: 'app-password',
    });
  });

  it('uses SMTP when EMAIL_HOST is set', () => {
    expect(
      loadConfiguration({ DATA_DIR: dataDir(), EMAIL_HOST: 'smtp.example.com' }).mail.transport,
    ).toBe('smtp');
  });
});

describe('parseDuration', () => {
  it.each([
    ['900', 900],
    ['15m', 900],
    ['1d', 86_400],
    ['2h', 7200],
    ['30s', 30],
  ])('%s is %i seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  it.each(['', '15 minutes', '-5', '1.5h', 'm'])('refuses %p', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});
