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
});
