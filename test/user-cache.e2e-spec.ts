import { SignedIn, signInByCode, sleep } from './support/auth';
import { createTestDatabase, TestDatabase } from './support/database';
import { mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { UserObject as ListedUser, usersEnv } from './support/users';

/** The fields these tests compare, as the API answers them. */
interface UserObject extends ListedUser {
  last_login: string | null;
  updated_at: string;
  has_password: boolean;
  banned_until: string | null;
  is_active: boolean;
  is_staff: boolean;
  city: string;
}

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

/**
 * `GET /api/users/me` and `GET /api/users/{id}` answer from the shared cache when they can. Every
 * change of a user must still show in the very next read: each case reads twice first (so the
 * object is cached), changes the user through the API, and reads again at once.
 */
describe('user objects from the cache: every change shows in the next read', () => {
  let t: TestApp;
  let admin: SignedIn;
  const adminEmail = uniqueEmail('cache-admin');

  beforeAll(async () => {
    t = await startTestApp({ ...usersEnv(adminEmail), OTP_RESEND_SECONDS: '0' });
    admin = await signInByCode(t, adminEmail);
  });
  afterAll(async () => {
    await t.close();
  });

  async function me(user: SignedIn): Promise<UserObject> {
    const res = await t.get('/api/users/me', { token: user.access });
    expect(res.status).toBe(200);
    return res.body as UserObject;
  }

  async function byAdmin(id: string): Promise<UserObject> {
    const res = await t.get(`/api/users/${id}`, { token: admin.access });
    expect(res.status).toBe(200);
    return res.body as UserObject;
  }

  /** Two reads, so the second is the cached one, and both agree. */
  async function warm(user: SignedIn): Promise<UserObject> {
    const first = await me(user);
    expect(await me(user)).toEqual(first);
    expect(await byAdmin(user.id)).toEqual(first);
    return first;
  }

  it('your own profile change', async () => {
    const user = await signInByCode(t);
    await warm(user);
    const res = await t.patch('/api/users/me', { full_name: 'Ada Cached' }, { token: user.access });
    expect(res.status).toBe(200);
    expect((await me(user)).full_name).toBe('Ada Cached');
    expect((await byAdmin(user.id)).full_name).toBe('Ada Cached');
  });

  it('reads racing a change never keep the old object cached', async () => {
    const user = await signInByCode(t);
    for (let round = 0; round < 10; round++) {
      const name = `Racer ${round}`;
      const readers = Array.from({ length: 20 }, () => me(user));
      const change = t.patch('/api/users/me', { full_name: name }, { token: user.access });
      await Promise.all(readers);
      expect((await change).status).toBe(200);
      // Every read that starts after the change's answer sees it, on the first try and after.
      expect((await me(user)).full_name).toBe(name);
      expect((await me(user)).full_name).toBe(name);
    }
  });

  it("an admin's change of someone else", async () => {
    const user = await signInByCode(t);
    await warm(user);
    const res = await t.patch(`/api/users/${user.id}`, { city: 'Lisbon' }, { token: admin.access });
    expect(res.status).toBe(200);
    expect((await me(user)).city).toBe('Lisbon');
  });

  it('a new sign-in moves last_login', async () => {
    const user = await signInByCode(t);
    const before = await warm(user);
    await sleep(5);
    await signInByCode(t, user.email);
    const after = await me(user);
    expect(after.last_login! > before.last_login!).toBe(true);
    expect(after.updated_at > before.updated_at).toBe(true);
  });

  it('a first password', async () => {
    const user = await signInByCode(t);
    expect((await warm(user)).has_password).toBe(false);
    const res = await t.post(
      '/api/users/me/password',
      { new_password: 'k3!vQ9#zLm-2026-cache' },
      { token: user.access },
    );
    expect(res.status).toBe(200);
    expect((await me(user)).has_password).toBe(true);
  });

  it('a ban and an unban, a deletion and a restore', async () => {
    const user = await signInByCode(t);
    await warm(user);
    const ban = await t.post(
      `/api/admin/users/${user.id}/ban`,
      { reason: 'Cache test' },
      { token: admin.access },
    );
    expect(ban.status).toBe(200);
    expect((await byAdmin(user.id)).banned_until).toBe(ban.body.banned_until);
    expect((await byAdmin(user.id)).banned_until).not.toBeNull();
    expect(
      (await t.post(`/api/admin/users/${user.id}/unban`, {}, { token: admin.access })).status,
    ).toBe(200);
    expect((await byAdmin(user.id)).banned_until).toBeNull();

    expect(
      (await t.delete(`/api/users/${user.id}`, undefined, { token: admin.access })).status,
    ).toBe(200);
    expect((await byAdmin(user.id)).is_active).toBe(false);
    expect((await byAdmin(user.id)).is_active).toBe(false);
    const restored = await t.post(`/api/users/${user.id}/restore`, {}, { token: admin.access });
    expect(restored.status).toBe(200);
    expect((await byAdmin(user.id)).is_active).toBe(true);
  });

  it('a cached ban that runs out shows as none, with no change to mark it', async () => {
    const user = await signInByCode(t);
    const until = new Date(Date.now() + 1500).toISOString();
    const ban = await t.post(
      `/api/admin/users/${user.id}/ban`,
      { reason: 'Short cache test', until },
      { token: admin.access },
    );
    expect(ban.status).toBe(200);
    expect((await byAdmin(user.id)).banned_until).toBe(until);
    expect((await byAdmin(user.id)).banned_until).toBe(until);
    await sleep(Date.parse(until) - Date.now() + 100);
    // Well inside the cached object's 10 s: the read itself tells the ban has ended.
    expect((await byAdmin(user.id)).banned_until).toBeNull();
  });

  it('admin rights and an unlock', async () => {
    const user = await signInByCode(t);
    const before = await warm(user);
    const res = await t.patch(`/api/users/${user.id}`, { is_staff: true }, { token: admin.access });
    expect(res.status).toBe(200);
    expect((await byAdmin(user.id)).is_staff).toBe(true);
    expect((await byAdmin(user.id)).is_staff).toBe(true);
    await sleep(5);
    const unlock = await t.delete(`/api/admin/users/${user.id}/lockout`, undefined, {
      token: admin.access,
    });
    expect(unlock.status).toBe(204);
    expect((await byAdmin(user.id)).updated_at > before.updated_at).toBe(true);
  });

  it('a confirmed email change', async () => {
    const user = await signInByCode(t);
    await warm(user);
    const newEmail = uniqueEmail('cache-moved');
    const beforeOld = (await mailsTo(t, user.email)).length;
    const beforeNew = (await mailsTo(t, newEmail)).length;
    const asked = await t.post(
      '/api/users/me/email-change',
      { new_email: newEmail },
      { token: user.access },
    );
    expect(asked.status).toBe(202);
    const current = await waitForMail(t, user.email, beforeOld);
    const fresh = await waitForMail(t, newEmail, beforeNew);
    const confirmed = await t.post(
      '/api/users/me/email-change/confirm',
      { current_code: current.code, new_code: fresh.code },
      { token: user.access },
    );
    expect(confirmed.status).toBe(200);
    const moved = { ...user, access: confirmed.body.access as string };
    expect((await me(moved)).email).toBe(newEmail);
    expect((await byAdmin(user.id)).email).toBe(newEmail);
  });
});

/**
 * Two instances share PostgreSQL and Redis: a change made through one shows at once in reads on
 * the other, which had the object cached. PGlite is one process's database, so this runs only
 * with DATABASE_URL and REDIS_URL.
 */
(databaseUrl && redisUrl ? describe : describe.skip)('user objects cached on two instances', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp({ OTP_RESEND_SECONDS: '0' }, db);
    b = await startTestApp({ OTP_RESEND_SECONDS: '0' }, db);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  it('a profile change on A shows on B, and a new sign-in on B shows on A', async () => {
    const user = await signInByCode(a);
    const read = async (app: TestApp) =>
      (await app.get('/api/users/me', { token: user.access })).body as UserObject;
    await read(b);
    const cached = await read(b);
    expect(
      (await a.patch('/api/users/me', { full_name: 'Two Places' }, { token: user.access })).status,
    ).toBe(200);
    expect((await read(b)).full_name).toBe('Two Places');

    await read(a);
    await sleep(5);
    await signInByCode(b, user.email);
    expect((await read(a)).last_login! > cached.last_login!).toBe(true);
  });
});
