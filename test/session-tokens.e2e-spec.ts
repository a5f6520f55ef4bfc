import { DataSource } from 'typeorm';
import { claimsOf, signInByCode, sleep } from './support/auth';
import { createTestDatabase } from './support/database';
import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/** What a sign-in hands out: access tokens, refresh rotation and reuse, logout, lifetimes. */

describe('access and refresh tokens', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      OTP_RESEND_SECONDS: '0',
      OTP_MAX_SENDS_PER_HOUR: '1000',
      JWT_REFRESH_REUSE_GRACE_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts Bearer and Token schemes in any case, and never a refresh token as access', async () => {
    const a = await signInByCode(t);
    const b = await signInByCode(t);
    const withToken = await t.post(
      '/api/users/logout/',
      {},
      { headers: { authorization: `token ${a.access}` } },
    );
    expect(withToken.status).toBe(200);
    expect(withToken.body).toEqual({ detail: 'Successfully logged out.' });
    const withRefresh = await t.post(
      '/api/users/logout/',
      {},
      { headers: { authorization: `Bearer ${b.refresh}` } },
    );
    expect(withRefresh.status).toBe(401);
    expect(withRefresh.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    expect(
      (await t.post('/api/users/logout/', {}, { headers: { authorization: `BEARER ${b.access}` } }))
        .status,
    ).toBe(200);
  });

  it('issues an opaque random refresh token and stores only its hash', async () => {
    const { refresh } = await signInByCode(t);
    expect(refresh).toMatch(/^[A-Za-z0-9_-]{43,}$/); // ≥ 32 random bytes, base64url, not a JWT
    const db = t.app.get(DataSource);
    const [stored] = await db.query<{ raw: number; total: number }[]>(
      `SELECT count(*) FILTER (WHERE token_hash = $1)::int AS raw, count(*)::int AS total
       FROM refresh_tokens`,
      [refresh],
    );
    expect(stored.total).toBeGreaterThan(0);
    expect(stored.raw).toBe(0);
  });

  it('refuses the access token from the very next request after logout', async () => {
    const s = await signInByCode(t);
    expect((await t.post('/api/users/logout/', {}, { token: s.access })).status).toBe(200);
    expect((await t.post('/api/users/logout/', {}, { token: s.access })).status).toBe(401);
    expect((await t.post('/api/users/token/refresh/', { refresh: s.refresh })).status).toBe(401);
  });

  it('rotates refresh tokens; the just-retired one is refused within the grace window without harm', async () => {
    const s = await signInByCode(t);
    const rotated = await t.post('/api/users/token/refresh/', { refresh: s.refresh });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh).not.toBe(s.refresh);
    expect(rotated.body.token).toBe(rotated.body.access);

    const again = await t.post('/api/users/token/refresh/', { refresh_token: s.refresh });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({
      code: 'TOKEN_INVALID',
      message: 'Invalid or expired refresh token.',
    });

    const next = await t.post('/api/users/token/refresh/', { refresh_token: rotated.body.refresh });
    expect(next.status).toBe(200);
  });

  it('revokes the whole session when a retired refresh token comes back after the grace window', async () => {
    const s = await signInByCode(t);
    const rotated = await t.post('/api/users/token/refresh/', { refresh: s.refresh });
    await sleep(1100); // past the 1 s grace window
    expect((await t.post('/api/users/token/refresh/', { refresh: s.refresh })).status).toBe(401);
    expect(
      (await t.post('/api/users/token/refresh/', { refresh: rotated.body.refresh })).status,
    ).toBe(401);
    expect((await t.post('/api/users/logout/', {}, { token: rotated.body.access })).status).toBe(
      401,
    );
  });

  it('gives one of two concurrent refreshes the new pair and the other a 401, session intact', async () => {
    const s = await signInByCode(t);
    const [a, b] = await Promise.all([
      t.post('/api/users/token/refresh/', { refresh: s.refresh }),
      t.post('/api/users/token/refresh/', { refresh: s.refresh }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = a.status === 200 ? a : b;
    expect(
      (await t.post('/api/users/token/refresh/', { refresh: winner.body.refresh })).status,
    ).toBe(200);
  });

  it('logs out other sessions or all of them by scope', async () => {
    const email = uniqueEmail();
    const one = await signInByCode(t, email);
    const two = await signInByCode(t, email);
    const three = await signInByCode(t, email);
    expect(
      (await t.post('/api/users/logout/', { scope: 'others' }, { token: one.access })).status,
    ).toBe(200);
    expect((await t.post('/api/users/token/refresh/', { refresh: two.refresh })).status).toBe(401);
    expect((await t.post('/api/users/token/refresh/', { refresh: three.refresh })).status).toBe(
      401,
    );
    const four = await signInByCode(t, email);
    expect(
      (await t.post('/api/users/logout/', { scope: 'global' }, { token: four.access })).status,
    ).toBe(200);
    expect((await t.post('/api/users/logout/', {}, { token: one.access })).status).toBe(401);
    const bad = await t.post('/api/users/logout/', { scope: 'everything' }, { token: four.access });
    expect(bad.status).toBe(401);
    const live = await signInByCode(t, email);
    const unknownScope = await t.post(
      '/api/users/logout/',
      { scope: 'everything' },
      { token: live.access },
    );
    expect(unknownScope.status).toBe(400);
    expect(unknownScope.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: { scope: [expect.any(String)] },
    });
    expect((await t.get('/api/users/me', { token: live.access })).status).toBe(200);
  });

  it('requires authentication for logout', async () => {
    const res = await t.post('/api/users/logout/', {});
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await t.post('/api/users/logout/', {}, { token: 'not.a.jwt' })).status).toBe(401);
  });
});

describe('access token lifetime', () => {
  let t: TestApp;

  beforeAll(async () => {
    // JWTs count whole seconds: a 2 s token lives between 1 and 2 s, enough for the first check.
    t = await startTestApp({ JWT_ACCESS_TTL: '2s', JWT_CLOCK_TOLERANCE_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses an access token after JWT_ACCESS_TTL', async () => {
    const { access } = await signInByCode(t);
    expect((await t.get('/api/users/me', { token: access })).status).toBe(200);
    // Waits only until the token's own exp second has begun.
    await sleep(claimsOf(access).exp * 1000 - Date.now() + 50);
    const late = await t.get('/api/users/me', { token: access });
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('UNAUTHENTICATED');
  });
});

describe('refresh token lifetimes (the sessions are checked to the millisecond)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      JWT_REFRESH_TTL: '1s',
      JWT_REFRESH_MAX_TTL: '2s',
      JWT_REFRESH_REUSE_GRACE_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const refresh = (token: string) => t.post('/api/users/token/refresh/', { refresh: token });

  it('refuses a refresh token left unused for JWT_REFRESH_TTL', async () => {
    const { refresh: token } = await signInByCode(t);
    await sleep(1050);
    const res = await refresh(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });

  it('ends a session at JWT_REFRESH_MAX_TTL however often it is refreshed', async () => {
    let { refresh: token } = await signInByCode(t);
    const started = Date.now();
    // Refreshed well within the 1 s idle limit, past it in total, until the 2 s absolute limit.
    while (Date.now() - started < 1500) {
      await sleep(300);
      const res = await refresh(token);
      expect(res.status).toBe(200);
      token = (res.body as { refresh: string }).refresh;
    }
    await sleep(2050 - (Date.now() - started));
    const res = await refresh(token);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });
});

describe('revocation across a restart (in-process cache by default)', () => {
  it('still refuses a logged-out access token and its refresh token after the service restarts', async () => {
    const db = await createTestDatabase();
    try {
      const first = await startTestApp({}, db);
      const { access, refresh } = await signInByCode(first);
      expect((await first.post('/api/users/logout/', {}, { token: access })).status).toBe(200);
      await first.close();

      const second = await startTestApp({}, db);
      try {
        expect((await second.get('/api/users/me', { token: access })).status).toBe(401);
        expect((await second.post('/api/users/token/refresh/', { refresh })).status).toBe(401);
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });
});
