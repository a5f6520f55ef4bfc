import { problemsOf, tempDataDir as dataDir } from '../../test/support/config';
import { loadConfiguration } from '../config/configuration';

describe('mail settings (loadConfiguration)', () => {
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
