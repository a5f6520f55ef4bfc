import { problemsOf, tempDataDir as dataDir } from '../../test/support/config';
import { loadConfiguration } from './configuration';

describe('app settings (loadConfiguration)', () => {
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

  it('defaults PUBLIC_URL to localhost on PORT, drops a trailing slash, refuses a non-http URL', () => {
    expect(loadConfiguration({ DATA_DIR: dataDir(), PORT: '4100' }).app.publicUrl).toBe(
      'http://localhost:4100',
    );
    expect(
      loadConfiguration({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://auth.example.com/' }).app
        .publicUrl,
    ).toBe('https://auth.example.com');
    expect(problemsOf({ DATA_DIR: dataDir(), PUBLIC_URL: 'ftp://auth.example.com' })).toEqual([
      expect.stringMatching(/^PUBLIC_URL must be an http\(s\) URL/),
    ]);
  });

  it('refuses CORS_ORIGINS=* (credentials go to listed origins only)', () => {
    expect(problemsOf({ DATA_DIR: dataDir(), CORS_ORIGINS: '*' })).toEqual([
      expect.stringMatching(/^CORS_ORIGINS must list origins; \* is not allowed/),
    ]);
    expect(
      loadConfiguration({ DATA_DIR: dataDir(), CORS_ORIGINS: 'https://app.example.com' }).app
        .corsOrigins,
    ).toEqual(['https://app.example.com']);
  });
});
