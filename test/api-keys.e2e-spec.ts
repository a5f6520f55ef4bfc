import { DataSource } from 'typeorm';
import { createApiKey, CreatedKey } from './support/api-keys';
import { SignedIn, signInByCode } from './support/auth';
import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, NO_SUCH_ID, usersEnv } from './support/users';

/** Service API keys: created by admins and shown once, hashed at rest, scoped, revocable. */
describe('service API keys', () => {
  let t: TestApp;
  let admin: SignedIn;
  let member: SignedIn;
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    t = await startTestApp(usersEnv(adminEmail));
    admin = await signInByCode(t, adminEmail);
    member = await signInByCode(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const rows = (id: string) =>
    t.app
      .get(DataSource)
      .query<Record<string, unknown>[]>('SELECT * FROM api_keys WHERE id = $1', [id]);

  it('shows the key once on creation, lists keys without it, keeps only a keyed hash at rest', async () => {
    const res = await t.post(
      '/api/admin/api-keys',
      { name: 'billing', scopes: ['introspect'] },
      { token: admin.access },
    );
    expect(res.status).toBe(201);
    const created = res.body as CreatedKey;
    expect(Object.keys(created).sort()).toEqual(['created_at', 'id', 'key', 'name', 'scopes']);
    expect(created).toMatchObject({ name: 'billing', scopes: ['introspect'] });
    // mgk_ + base64url of at least 32 random bytes (43 characters).
    expect(created.key).toMatch(/^mgk_[A-Za-z0-9_-]{43,}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const list = await t.get('/api/admin/api-keys', { token: admin.access });
    expect(list.status).toBe(200);
    const listed = (list.body as { data: Record<string, unknown>[] }).data.find(
      (key) => key.id === created.id,
    );
    expect(listed).toEqual({
      id: created.id,
      name: 'billing',
      scopes: ['introspect'],
      created_at: created.created_at,
      last_used_at: null,
    });
    expect(list.text).not.toContain(created.key);
    expect(list.text).not.toContain(created.key.slice(4));

    // At rest: a 64-hex keyed hash, and nothing in the row holds the key or its random part.
    const [row] = await rows(created.id);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(created.key.slice(4));
    expect(stored).not.toContain(created.key.slice(4, 20));
  });

  it('refuses bad bodies with field errors', async () => {
    for (const body of [
      { name: 'x', scopes: ['root'] },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['admin', 'admin'] },
      { name: '', scopes: ['admin'] },
      { scopes: ['admin'] },
      { name: 'x', scopes: 'admin' },
      { name: 'x', scopes: ['admin'], key: 'mgk_mine' },
    ]) {
      const res = await t.post('/api/admin/api-keys', body, { token: admin.access });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lets only admin users manage keys: 401 without a caller, 403 for users and for any key', async () => {
    const adminKey = await createApiKey(t, admin.access, ['admin', 'introspect']);
    expect((await t.get('/api/admin/api-keys')).status).toBe(401);
    expect((await t.get('/api/admin/api-keys', { token: member.access })).status).toBe(403);
    for (const call of [
      () => t.get('/api/admin/api-keys', { token: adminKey.key }),
      () =>
        t.post('/api/admin/api-keys', { name: 'n', scopes: ['admin'] }, { token: adminKey.key }),
      () => t.delete(`/api/admin/api-keys/${adminKey.id}`, undefined, { token: adminKey.key }),
    ]) {
      const res = await call();
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('lets an admin key automate user management, acting as nobody’s self', async () => {
    const { key } = await createApiKey(t, admin.access, ['admin']);
    const list = await t.get('/api/users/?limit=100', { token: key });
    expect(list.status).toBe(200);
    expect((list.body as { meta: { total: number } }).meta.total).toBeGreaterThanOrEqual(2);

    const made = await t.post(
      '/api/users/',
      { email: uniqueEmail('bykey'), full_name: 'By Key', mobile: '1234567890' },
      { token: key },
    );
    expect(made.status).toBe(201);
    const id = (made.body as { data: { id: string }[] }).data[0].id;

    expect((await t.get(`/api/users/${id}`, { token: key })).status).toBe(200);
    const renamed = await t.patch(`/api/users/${id}`, { full_name: 'Renamed' }, { token: key });
    expect(renamed.status).toBe(200);
    expect(renamed.body.full_name).toBe('Renamed');
    const staffed = await t.patch('/api/users/', { id, is_staff: true }, { token: key });
    expect(staffed.status).toBe(200);
    expect(staffed.body.data[0].is_staff).toBe(true);
    expect(
      (await t.delete(`/api/admin/users/${id}/lockout`, undefined, { token: key })).status,
    ).toBe(204);
    expect((await t.delete(`/api/users/${id}`, undefined, { token: key })).status).toBe(200);
    expect((await t.post(`/api/users/${id}/restore`, undefined, { token: key })).status).toBe(200);
    expect((await t.delete('/api/users/', { id }, { token: key })).status).toBe(200);
    expect((await t.get(`/api/users/${NO_SUCH_ID}`, { token: key })).status).toBe(404);

    // A key is never a user: the routes of the signed-in user answer 401.
    for (const path of ['/api/users/me', '/api/users/me/sessions', '/api/users/profile'])
      expect((await t.get(path, { token: key })).status).toBe(401);
    expect((await t.patch('/api/users/me', { full_name: 'Key' }, { token: key })).status).toBe(401);
    expect((await t.post('/api/users/logout/', {}, { token: key })).status).toBe(401);
  });

  it('answers 403 to a key without scope admin on every admin route', async () => {
    const { key } = await createApiKey(t, admin.access, ['introspect']);
    const target = await createUser(t, admin.access);
    for (const call of [
      () => t.get('/api/users/', { token: key }),
      () => t.get(`/api/users/${target.id}`, { token: key }),
      () => t.patch(`/api/users/${target.id}`, { full_name: 'No' }, { token: key }),
      () => t.patch('/api/users/', { id: target.id, full_name: 'No' }, { token: key }),
      () =>
        t.post(
          '/api/users/',
          { email: uniqueEmail(), full_name: 'No', mobile: '1234567890' },
          { token: key },
        ),
      () => t.delete(`/api/users/${target.id}`, undefined, { token: key }),
      () => t.delete(`/api/admin/users/${target.id}/lockout`, undefined, { token: key }),
    ]) {
      const res = await call();
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect((await t.get(`/api/users/${target.id}`, { token: admin.access })).body.full_name).toBe(
      target.full_name,
    );
  });

  it('records when a key was last used', async () => {
    const created = await createApiKey(t, admin.access, ['admin']);
    expect((await t.get('/api/users/', { token: created.key })).status).toBe(200);
    const list = await t.get('/api/admin/api-keys', { token: admin.access });
    const listed = (list.body as { data: { id: string; last_used_at: string | null }[] }).data.find(
      (key) => key.id === created.id,
    );
    expect(listed?.last_used_at).toEqual(expect.any(String));
  });

  it('refuses a revoked key from the next request on with 401, and forgets it in the list', async () => {
    const created = await createApiKey(t, admin.access, ['admin']);
    expect((await t.get('/api/users/', { token: created.key })).status).toBe(200);
    const res = await t.delete(`/api/admin/api-keys/${created.id}`, undefined, {
      token: admin.access,
    });
    expect(res.status).toBe(204);
    const refused = await t.get('/api/users/', { token: created.key });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    expect((await t.get('/api/admin/api-keys', { token: created.key })).status).toBe(401);
    const list = await t.get('/api/admin/api-keys', { token: admin.access });
    expect((list.body as { data: { id: string }[] }).data.map((key) => key.id)).not.toContain(
      created.id,
    );
    expect(
      (await t.delete(`/api/admin/api-keys/${created.id}`, undefined, { token: admin.access }))
        .status,
    ).toBe(404);
    expect(
      (await t.delete('/api/admin/api-keys/not-a-uuid', undefined, { token: admin.access })).status,
    ).toBe(404);
  });

  it('answers 401 to made-up keys, and to a key sent in the DRF spelling', async () => {
    const { key } = await createApiKey(t, admin.access, ['admin']);
    expect((await t.get('/api/users/', { token: `${key}x` })).status).toBe(401);
    expect((await t.get('/api/users/', { token: 'mgk_' + 'A'.repeat(43) })).status).toBe(401);
    expect(
      (await t.get('/api/users/', { headers: { authorization: `Token ${key}` } })).status,
    ).toBe(401);
  });
});
