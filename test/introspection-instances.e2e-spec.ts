import { createApiKey, introspect } from './support/api-keys';
import { signInByCode } from './support/auth';
import { createTestDatabase, TestDatabase } from './support/database';
import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { usersEnv } from './support/users';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

/** Two instances on one PostgreSQL and one Redis: what one revokes, the other answers at once. */
(databaseUrl && redisUrl ? describe : describe.skip)('introspection on two instances', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let adminAccess: string;
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp(usersEnv(adminEmail), db);
    b = await startTestApp(usersEnv(adminEmail), db);
    adminAccess = (await signInByCode(a, adminEmail)).access;
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  it('turns a token inactive on B from the request after a logout on A', async () => {
    const { key } = await createApiKey(a, adminAccess, ['introspect']);
    const user = await signInByCode(a);
    // B has seen the session live (and cached that) before A ends it.
    expect((await introspect(b, key, user.access)).body).toMatchObject({ active: true });
    expect((await introspect(b, key, user.refresh)).body).toMatchObject({ active: true });
    expect((await a.post('/api/users/logout/', {}, { token: user.access })).status).toBe(200);
    expect((await introspect(b, key, user.access)).body).toEqual({ active: false });
    expect((await introspect(b, key, user.refresh)).body).toEqual({ active: false });
  });

  it('turns a token inactive on B right after A deactivates the user', async () => {
    const { key } = await createApiKey(a, adminAccess, ['introspect']);
    const user = await signInByCode(a);
    expect((await introspect(b, key, user.access)).body).toMatchObject({ active: true });
    const off = await a.patch(
      `/api/users/${user.id}`,
      { is_active: false },
      { token: adminAccess },
    );
    expect(off.status).toBe(200);
    expect((await introspect(b, key, user.access)).body).toEqual({ active: false });
  });

  it('refuses on B a key revoked on A, from the next request on', async () => {
    const created = await createApiKey(a, adminAccess, ['introspect', 'admin']);
    const user = await signInByCode(a);
    expect((await introspect(b, created.key, user.access)).status).toBe(200);
    expect((await b.get('/api/users/', { token: created.key })).status).toBe(200);
    const revoked = await a.delete(`/api/admin/api-keys/${created.id}`, undefined, {
      token: adminAccess,
    });
    expect(revoked.status).toBe(204);
    expect((await introspect(b, created.key, user.access)).status).toBe(401);
    expect((await b.get('/api/users/', { token: created.key })).status).toBe(401);
  });
});
