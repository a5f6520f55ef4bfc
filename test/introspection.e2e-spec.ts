import { createApiKey, introspect } from './support/api-keys';
import { PASSWORD, SignedIn, signInByCode, signUpWithPassword } from './support/auth';
import { mailsTo, uniqueEmail, waitForCode } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { usersEnv } from './support/users';

const ACCESS_FIELDS = [
  'active',
  'aud',
  'exp',
  'iat',
  'iss',
  'jti',
  'role',
  'sid',
  'sub',
  'token_type',
];

/** RFC 7662 introspection: who may ask, what a live token says, and every way a token dies. */
describe('token introspection', () => {
  let t: TestApp;
  let admin: SignedIn;
  let key: string;
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    t = await startTestApp({ ...usersEnv(adminEmail), JWT_REFRESH_REUSE_GRACE_SECONDS: '0' });
    admin = await signInByCode(t, adminEmail);
    key = (await createApiKey(t, admin.access, ['introspect'])).key;
  });
  afterAll(async () => {
    await t.close();
  });

  const active = async (token: string) => {
    const res = await introspect(t, key, token);
    expect(res.status).toBe(200);
    return res.body as Record<string, unknown>;
  };

  it('describes a live access token, form-encoded or JSON, never cached', async () => {
    const user = await signInByCode(t);
    const res = await introspect(t, key, user.access);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = res.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(ACCESS_FIELDS);
    const claims = JSON.parse(
      Buffer.from(user.access.split('.')[1], 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(body).toEqual({
      active: true,
      token_type: 'access_token',
      sub: user.id,
      sid: claims.sid,
      role: 'user',
      exp: claims.exp,
      iat: claims.iat,
      iss: claims.iss,
      aud: claims.aud,
      jti: claims.jti,
    });
    const json = await t.post(
      '/api/oauth/introspect/',
      { token: user.access, token_type_hint: 'access_token' },
      { token: key },
    );
    expect(json.status).toBe(200);
    expect(json.body).toEqual(body);
    expect((await active(admin.access)).role).toBe('admin');
  });

  it('describes a live refresh token without using or rotating it', async () => {
    const user = await signInByCode(t);
    const body = await active(user.refresh);
    expect(Object.keys(body).sort()).toEqual(['active', 'exp', 'sid', 'sub', 'token_type']);
    expect(body).toMatchObject({ active: true, token_type: 'refresh_token', sub: user.id });
    expect(body.exp).toBeGreaterThan(Date.now() / 1000);
    expect(await active(user.refresh)).toEqual(body);
    // Still the current token: it rotates normally, and the one it replaced is no longer live.
    const rotated = await t.post('/api/users/token/refresh/', { refresh: user.refresh });
    expect(rotated.status).toBe(200);
    expect(await active(user.refresh)).toEqual({ active: false });
    expect(await active(rotated.body.refresh as string)).toMatchObject({ active: true });
  });

  it('answers exactly {"active":false} to garbage and forged tokens', async () => {
    const user = await signInByCode(t);
    const [header, payload, signature] = user.access.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        sub: admin.id,
      }),
    ).toString('base64url');
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    for (const token of [
      'garbage',
      'a.b.c',
      `${header}.${forgedPayload}.${signature}`,
      `${header}.${payload}.${flipped}`,
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`,
      key,
    ])
      expect(await active(token)).toEqual({ active: false });
  });

  it('turns false after a logout, for the access and the refresh token', async () => {
    const user = await signInByCode(t);
    expect((await active(user.access)).active).toBe(true);
    expect((await t.post('/api/users/logout/', {}, { token: user.access })).status).toBe(200);
    expect(await active(user.access)).toEqual({ active: false });
    expect(await active(user.refresh)).toEqual({ active: false });
  });

  it('turns false after refresh-token reuse is detected', async () => {
    const user = await signInByCode(t);
    const rotated = await t.post('/api/users/token/refresh/', { refresh: user.refresh });
    expect(rotated.status).toBe(200);
    const next = rotated.body as { access: string; refresh: string };
    expect((await active(next.access)).active).toBe(true);
    // The retired token again: reuse, the whole session ends.
    expect((await t.post('/api/users/token/refresh/', { refresh: user.refresh })).status).toBe(401);
    expect(await active(next.access)).toEqual({ active: false });
    expect(await active(next.refresh)).toEqual({ active: false });
    expect(await active(user.access)).toEqual({ active: false });
  });

  it('turns false after a password reset', async () => {
    const email = uniqueEmail('reset');
    const user = await signUpWithPassword(t, email);
    expect((await active(user.access)).active).toBe(true);
    const before = (await mailsTo(t, email)).length;
    expect((await t.post('/api/users/forgot-password/', { email })).status).toBe(200);
    const otp = await waitForCode(t, email, before);
    const reset = await t.post('/api/users/reset-password/', {
      email,
      otp,
      new_password: `${PASSWORD}-new`,
    });
    expect(reset.status).toBe(200);
    expect(await active(user.access)).toEqual({ active: false });
    expect(await active(user.refresh)).toEqual({ active: false });
  });

  it('turns false when an admin deactivates or deletes the user', async () => {
    const one = await signInByCode(t);
    expect((await active(one.access)).active).toBe(true);
    const off = await t.patch(
      `/api/users/${one.id}`,
      { is_active: false },
      { token: admin.access },
    );
    expect(off.status).toBe(200);
    expect(await active(one.access)).toEqual({ active: false });
    expect(await active(one.refresh)).toEqual({ active: false });

    const two = await signInByCode(t);
    expect(
      (await t.delete(`/api/users/${two.id}`, undefined, { token: admin.access })).status,
    ).toBe(200);
    expect(await active(two.access)).toEqual({ active: false });
  });

  it('needs a live key with scope introspect: anything else is 401', async () => {
    const user = await signInByCode(t);
    const adminOnly = await createApiKey(t, admin.access, ['admin']);
    const revoked = await createApiKey(t, admin.access, ['introspect']);
    expect(
      (await t.delete(`/api/admin/api-keys/${revoked.id}`, undefined, { token: admin.access }))
        .status,
    ).toBe(204);
    for (const caller of [undefined, adminOnly.key, revoked.key, user.access, admin.access]) {
      const res = await introspect(t, caller, user.access);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('takes forms on this route only, and refuses malformed requests', async () => {
    const user = await signInByCode(t);
    const form = await t.post('/api/users/get-otp/', undefined, {
      raw: 'email=a@b.co',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const missing = await t.post('/api/oauth/introspect', undefined, {
      token: key,
      raw: 'token_type_hint=access_token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    const repeated = await t.post('/api/oauth/introspect', undefined, {
      token: key,
      raw: `token=${user.access}&token=x`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(repeated.status).toBe(400);
    const text = await t.post('/api/oauth/introspect', undefined, {
      token: key,
      raw: user.access,
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });
});
