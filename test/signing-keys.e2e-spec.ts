import { createHash, createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { signJws } from '../src/keys/jws';
import { KeyringService } from '../src/keys/keyring.service';
import { SignedIn, signInByCode } from './support/auth';
import { freePort, verifyWithJose } from './support/jose-verifier';
import { uniqueEmail } from './support/mailbox';
import { createTestDatabase, TestDatabase } from './support/database';
import { startTestApp, TestApp } from './support/test-app';
import { usersEnv } from './support/users';

// Booting on a loaded machine and a jose process per check take longer than the default minute.
jest.setTimeout(240_000);

const AUDIENCE = 'mailguard-api';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const partsOf = (token: string) => {
  const [header, payload] = token.split('.').slice(0, 2);
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
  };
};
const hs256 = (header: object, payload: object, key: string | Buffer) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
};
/** RFC 7638, computed here independently of the service. */
const thumbprint = (jwk: Record<string, string>) => {
  const members = {
    EC: ['crv', 'kty', 'x', 'y'],
    OKP: ['crv', 'kty', 'x'],
    RSA: ['e', 'kty', 'n'],
  }[jwk.kty]!;
  const canonical = JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
};

describe('tokens other services can verify (signing keys, JWKS, discovery)', () => {
  let t: TestApp;
  let issuer: string;
  let admin: SignedIn;
  let user: SignedIn;

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    const adminEmail = uniqueEmail();
    t = await startTestApp({ ...usersEnv(adminEmail), PORT: String(port), PUBLIC_URL: issuer });
    admin = await signInByCode(t, adminEmail);
    user = await signInByCode(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (token: string) => t.get('/api/users/me', { token });
  const jwks = async () =>
    ((await t.get('/.well-known/jwks.json')).body as { keys: Record<string, string>[] }).keys;

  it('publishes discovery (both documents) and JWKS outside /api, cacheable with an ETag', async () => {
    const openid = await t.get('/.well-known/openid-configuration');
    const oauth = await t.get('/.well-known/oauth-authorization-server');
    expect(openid.status).toBe(200);
    expect(oauth.body).toEqual(openid.body);
    expect(openid.body).toEqual({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      token_endpoint: `${issuer}/api/users/token/refresh/`,
      introspection_endpoint: `${issuer}/api/oauth/introspect`,
      grant_types_supported: ['refresh_token'],
      response_types_supported: ['none'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['none'],
    });
    const res = await t.get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const keys = (res.body as { keys: Record<string, string>[] }).keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: thumbprint(keys[0]),
      alg: 'ES256',
      use: 'sig',
    });
    const again = await t.get('/.well-known/jwks.json', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const discoveryEtag = openid.headers.get('etag')!;
    const cached = await t.get('/.well-known/openid-configuration', {
      headers: { 'if-none-match': discoveryEtag },
    });
    expect(cached.status).toBe(304);
    expect((await t.get('/api/.well-known/jwks.json')).status).toBe(404);
  });

  it('signs access tokens with the active key: alg, kid, typ at+jwt and the claims of the contract', async () => {
    const [key] = await jwks();
    const { header, payload } = partsOf(user.access);
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: key.kid });
    expect(payload).toEqual({
      iss: issuer,
      sub: user.id,
      aud: AUDIENCE,
      exp: expect.any(Number),
      iat: expect.any(Number),
      jti: expect.any(String),
      sid: expect.any(String),
      role: 'user',
    });
    expect(partsOf(admin.access).payload.role).toBe('admin');
  });

  it('lets a separate process that knows only the issuer URL verify a token with jose', async () => {
    const [verdict] = await verifyWithJose(issuer, AUDIENCE, [user.access]);
    expect(verdict).toMatchObject({
      ok: true,
      header: { alg: 'ES256', typ: 'at+jwt' },
      payload: { iss: issuer, sub: user.id, aud: AUDIENCE },
    });
    const [wrongAudience] = await verifyWithJose(issuer, 'another-api', [user.access]);
    expect(wrongAudience.ok).toBe(false);
  });

  it('refuses forged tokens of every kind with 401', async () => {
    const [key] = await jwks();
    const { payload } = partsOf(user.access);
    const keyring = t.app.get(KeyringService);
    const real = keyring.activeSigner();
    const publicPem = createPublicKey({ key, format: 'jwk' }).export({
      format: 'pem',
      type: 'spki',
    });
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const signReal = (header: object, claims: object) =>
      signJws({ alg: 'ES256', ...header }, claims, real.key, 'ES256');
    const forged: Record<string, string> = {
      algNone: `${b64({ alg: 'none', typ: 'at+jwt', kid: key.kid })}.${b64(payload)}.`,
      hs256WithPublicPem: hs256({ alg: 'HS256', typ: 'at+jwt', kid: key.kid }, payload, publicPem),
      hs256WithPublicJwk: hs256(
        { alg: 'HS256', typ: 'at+jwt', kid: key.kid },
        payload,
        JSON.stringify(key),
      ),
      hs256WithoutKid: hs256({ alg: 'HS256', typ: 'at+jwt' }, payload, publicPem),
      unknownKid: signJws(
        { alg: 'ES256', typ: 'at+jwt', kid: 'x'.repeat(43) },
        payload,
        stranger,
        'ES256',
      ),
      strangerKeyWithOurKid: signJws(
        { alg: 'ES256', typ: 'at+jwt', kid: key.kid },
        payload,
        stranger,
        'ES256',
      ),
      wrongTyp: signReal({ typ: 'JWT', kid: key.kid }, payload),
      noTyp: signReal({ kid: key.kid }, payload),
      wrongIss: signReal(
        { typ: 'at+jwt', kid: key.kid },
        { ...payload, iss: 'https://evil.example' },
      ),
      wrongAud: signReal({ typ: 'at+jwt', kid: key.kid }, { ...payload, aud: 'another-api' }),
      expired: signReal(
        { typ: 'at+jwt', kid: key.kid },
        { ...payload, iat: 1_700_000_000, exp: 1_700_000_900 },
      ),
      tamperedPayload: (() => {
        const [h, , s] = user.access.split('.');
        return `${h}.${b64({ ...payload, role: 'admin' })}.${s}`;
      })(),
    };
    // The control: the same signing path with the right claims is accepted.
    expect((await me(signReal({ typ: 'at+jwt', kid: key.kid }, payload))).status).toBe(200);
    for (const [kind, token] of Object.entries(forged)) {
      const res = await me(token);
      expect({ kind, status: res.status, code: res.body?.code }).toEqual({
        kind,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('rotates end to end: standby → JWKS → activate (forced) → new kid, old tokens verify → revoke', async () => {
    const token = { token: admin.access };
    const [oldKey] = await jwks();
    const etagBefore = (await t.get('/.well-known/jwks.json')).headers.get('etag')!;

    const created = await t.post('/api/admin/signing-keys', {}, token);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      kid: expect.any(String),
      alg: 'ES256',
      status: 'standby',
      created_at: expect.any(String),
      activated_at: null,
      retired_at: null,
      revoked_at: null,
      public_jwk: expect.objectContaining({ kid: created.body.kid, alg: 'ES256', use: 'sig' }),
    });
    const kid = created.body.kid as string;
    expect((await jwks()).map((key) => key.kid)).toEqual([oldKey.kid, kid]);
    const changed = await t.get('/.well-known/jwks.json', {
      headers: { 'if-none-match': etagBefore },
    });
    expect(changed.status).toBe(200);

    // Published a moment ago: activating it would break verifiers holding the old JWKS.
    const early = await t.post(`/api/admin/signing-keys/${kid}/activate`, {}, token);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('CONFLICT');

    const activated = await t.post(
      `/api/admin/signing-keys/${kid}/activate`,
      { force: true },
      token,
    );
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({
      kid,
      status: 'active',
      activated_at: expect.any(String),
    });
    const list = await t.get('/api/admin/signing-keys', token);
    expect(list.status).toBe(200);
    const statusOf = (k: string) =>
      (list.body.data as { kid: string; status: string }[]).find((key) => key.kid === k)?.status;
    expect([statusOf(kid), statusOf(oldKey.kid)]).toEqual(['active', 'retired']);
    for (const listed of list.body.data as { public_jwk: Record<string, string> }[])
      for (const member of PRIVATE_MEMBERS) expect(listed.public_jwk).not.toHaveProperty(member);

    const fresh = await signInByCode(t);
    expect(partsOf(fresh.access).header.kid).toBe(kid);
    expect((await me(fresh.access)).status).toBe(200);
    expect((await me(user.access)).status).toBe(200);
    const verdicts = await verifyWithJose(issuer, AUDIENCE, [fresh.access, user.access]);
    expect(verdicts.map((verdict) => verdict.ok)).toEqual([true, true]);

    // The active key cannot be revoked; the retired one can, and its tokens are refused at once.
    expect((await t.post(`/api/admin/signing-keys/${kid}/revoke`, {}, token)).status).toBe(409);
    const revoked = await t.post(`/api/admin/signing-keys/${oldKey.kid}/revoke`, {}, token);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      kid: oldKey.kid,
      status: 'revoked',
      revoked_at: expect.any(String),
    });
    expect((await me(user.access)).status).toBe(401);
    expect((await jwks()).map((key) => key.kid)).toEqual([kid]);
    expect((await me(fresh.access)).status).toBe(200);
    const [oldVerdict] = await verifyWithJose(issuer, AUDIENCE, [user.access]);
    expect(oldVerdict.ok).toBe(false);
    // The admin's own token was signed by the revoked key too.
    expect((await t.get('/api/admin/signing-keys', token)).status).toBe(401);
    admin = await signInByCode(t, admin.email);
  });

  it('creates, activates and verifies EdDSA and RS256 keys too', async () => {
    const token = { token: admin.access };
    for (const alg of ['EdDSA', 'RS256']) {
      const created = await t.post('/api/admin/signing-keys', { alg }, token);
      expect(created.status).toBe(201);
      const kid = created.body.kid as string;
      const jwk = (await jwks()).find((key) => key.kid === kid)!;
      expect(jwk.kid).toBe(thumbprint(jwk));
      for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
      const activate = await t.post(
        `/api/admin/signing-keys/${kid}/activate`,
        { force: true },
        token,
      );
      expect(activate.status).toBe(200);
      const signedIn = await signInByCode(t);
      expect(partsOf(signedIn.access).header).toEqual({ alg, typ: 'at+jwt', kid });
      expect((await me(signedIn.access)).status).toBe(200);
      const [verdict] = await verifyWithJose(issuer, AUDIENCE, [signedIn.access]);
      expect(verdict).toMatchObject({ ok: true, header: { alg, kid } });
    }
    const discovery = await t.get('/.well-known/openid-configuration');
    expect(discovery.body.id_token_signing_alg_values_supported).toEqual(
      expect.arrayContaining(['ES256', 'EdDSA', 'RS256']),
    );
  });

  it('answers 404 for an unknown kid, 400 for an unknown algorithm and 403 to non-admins', async () => {
    const token = { token: admin.access };
    const unknown = 'A'.repeat(43);
    for (const action of ['activate', 'revoke']) {
      const res = await t.post(`/api/admin/signing-keys/${unknown}/${action}`, {}, token);
      expect({ action, status: res.status, message: res.body.message }).toEqual({
        action,
        status: 404,
        message: 'Signing key not found.',
      });
    }
    expect((await t.post('/api/admin/signing-keys', { alg: 'HS256' }, token)).status).toBe(400);
    const asUser = { token: user.access };
    const stillUser = await signInByCode(t);
    for (const res of [
      await t.get('/api/admin/signing-keys', { token: stillUser.access }),
      await t.post('/api/admin/signing-keys', {}, { token: stillUser.access }),
    ])
      expect(res.status).toBe(403);
    expect((await t.get('/api/admin/signing-keys', asUser)).status).toBe(401);
  });
});

/** Every instance sees a key change within 10 s (they re-read the keys every 5 s). */
const sharedServers = process.env.DATABASE_URL && process.env.REDIS_URL ? describe : describe.skip;

sharedServers('signing keys on two instances (PostgreSQL + Redis)', () => {
  const PROPAGATION_MS = 10_000;
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: SignedIn;

  beforeAll(async () => {
    database = await createTestDatabase();
    const adminEmail = uniqueEmail();
    a = await startTestApp(usersEnv(adminEmail), database);
    b = await startTestApp(usersEnv(adminEmail), database);
    admin = await signInByCode(a, adminEmail);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  /** Asks `check` until it holds; fails if that takes longer than 10 s after the change. */
  async function within10s(since: number, check: () => Promise<boolean>): Promise<number> {
    for (;;) {
      if (await check()) return Date.now() - since;
      if (Date.now() - since > PROPAGATION_MS) return Date.now() - since;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const kidsOn = async (t: TestApp) =>
    ((await t.get('/.well-known/jwks.json')).body as { keys: { kid: string }[] }).keys.map(
      (key) => key.kid,
    );

  it('publishes, activates and revokes on one instance; the other follows within 10 s', async () => {
    const token = { token: admin.access };
    const [first] = await kidsOn(b);
    const onB = await signInByCode(b);
    expect(partsOf(onB.access).header.kid).toBe(first);

    const created = await a.post('/api/admin/signing-keys', {}, token);
    const kid = created.body.kid as string;
    let since = Date.now();
    expect(await within10s(since, async () => (await kidsOn(b)).includes(kid))).toBeLessThanOrEqual(
      PROPAGATION_MS,
    );

    expect(
      (await a.post(`/api/admin/signing-keys/${kid}/activate`, { force: true }, token)).status,
    ).toBe(200);
    since = Date.now();
    expect(
      await within10s(since, async () => {
        const res = await b.post('/api/users/token/refresh/', { refresh: onB.refresh });
        if (res.status !== 200) throw new Error(`refresh answered ${res.status}`);
        onB.refresh = res.body.refresh as string;
        return partsOf(res.body.access as string).header.kid === kid;
      }),
    ).toBeLessThanOrEqual(PROPAGATION_MS);

    expect((await b.get('/api/users/me', { token: onB.access })).status).toBe(200);
    expect((await a.post(`/api/admin/signing-keys/${first}/revoke`, {}, token)).status).toBe(200);
    since = Date.now();
    expect(
      await within10s(
        since,
        async () => (await b.get('/api/users/me', { token: onB.access })).status === 401,
      ),
    ).toBeLessThanOrEqual(PROPAGATION_MS);
  });
});
