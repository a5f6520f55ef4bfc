import { claimsOf, SignedIn, signInByCode, sleep } from './support/auth';
import { createTestDatabase, TestDatabase } from './support/database';
import { mailsTo, uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { usersEnv } from './support/users';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

const sidOf = (access: string) => (claimsOf(access) as unknown as { sid: string }).sid;

/**
 * API.md "Admin operations": the tokens of a banned user or of a session an admin ended die at the
 * next request on every instance. Two instances share one PostgreSQL and one Redis; B has seen
 * the session live (and may have cached that) before A changes anything. PGlite is one process's
 * database, so this runs only with DATABASE_URL and REDIS_URL.
 */
(databaseUrl && redisUrl ? describe : describe.skip)('admin operations on two instances', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: SignedIn;
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp(usersEnv(adminEmail), db);
    b = await startTestApp(usersEnv(adminEmail), db);
    admin = await signInByCode(a, adminEmail);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  it('refuses on B, at the next request, the access and refresh tokens of a user banned on A', async () => {
    const email = uniqueEmail('banned');
    const user = await signInByCode(b, email);
    expect((await b.get('/api/users/me', { token: user.access })).status).toBe(200);

    const ban = await a.post(
      `/api/admin/users/${user.id}/ban`,
      { reason: 'Two-instance test' },
      { token: admin.access },
    );
    expect(ban.status).toBe(200);

    const me = await b.get('/api/users/me', { token: user.access });
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('UNAUTHENTICATED');
    const refresh = await b.post('/api/users/token/refresh/', { refresh: user.refresh });
    expect(refresh.status).toBe(401);
    expect(refresh.body.code).toBe('TOKEN_INVALID');
    // Nor can the banned user come back in through B: the uniform answer, and no code mail.
    const mails = (await mailsTo(b, email)).length;
    expect((await b.post('/api/users/get-otp/', { email })).status).toBe(200);
    await sleep(500);
    expect((await mailsTo(a, email)).length).toBe(mails);

    // An unban on B lets them sign in again through A.
    const unban = await b.post(`/api/admin/users/${user.id}/unban`, {}, { token: admin.access });
    expect(unban.status).toBe(200);
    const again = await signInByCode(a, email);
    expect((await b.get('/api/users/me', { token: again.access })).status).toBe(200);
  });

  it("refuses on B, at the next request, a session an admin ended on A, and keeps the user's others", async () => {
    const email = uniqueEmail('ended');
    const ended = await signInByCode(b, email);
    const kept = await signInByCode(b, email);
    for (const token of [ended.access, kept.access])
      expect((await b.get('/api/users/me', { token })).status).toBe(200);

    const res = await a.delete(
      `/api/admin/users/${ended.id}/sessions/${sidOf(ended.access)}`,
      undefined,
      { token: admin.access },
    );
    expect(res.status).toBe(204);

    expect((await b.get('/api/users/me', { token: ended.access })).status).toBe(401);
    expect((await b.post('/api/users/token/refresh/', { refresh: ended.refresh })).status).toBe(
      401,
    );
    expect((await b.get('/api/users/me', { token: kept.access })).status).toBe(200);
  });

  it('refuses on B every session of a user whose sessions an admin ended all at once on A', async () => {
    const email = uniqueEmail('all');
    const first = await signInByCode(b, email);
    const second = await signInByCode(a, email);
    for (const token of [first.access, second.access])
      expect((await b.get('/api/users/me', { token })).status).toBe(200);

    const res = await a.delete(`/api/admin/users/${first.id}/sessions`, undefined, {
      token: admin.access,
    });
    expect(res.status).toBe(204);

    for (const token of [first.access, second.access])
      expect((await b.get('/api/users/me', { token })).status).toBe(401);
  });
});
