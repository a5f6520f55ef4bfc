import { SignedIn, signInByCode } from './support/auth';
import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, NO_SUCH_ID, USER_FIELDS, usersEnv } from './support/users';

/** REST routes for frontends, and the auth rules of every protected users route. */
describe('users (REST routes)', () => {
  let t: TestApp;
  let admin: SignedIn;
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    t = await startTestApp(usersEnv(adminEmail));
    admin = await signInByCode(t, adminEmail);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('every protected route', () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/users/'],
      ['POST', '/api/users/', { email: 'a@example.com', full_name: 'A', mobile: '1234567' }],
      ['PATCH', '/api/users/', { id: NO_SUCH_ID, city: 'X' }],
      ['DELETE', '/api/users/', { id: NO_SUCH_ID }],
      ['GET', `/api/users/${NO_SUCH_ID}`],
      ['PATCH', `/api/users/${NO_SUCH_ID}`, { city: 'X' }],
      ['DELETE', `/api/users/${NO_SUCH_ID}`],
      ['POST', `/api/users/${NO_SUCH_ID}/restore`],
      ['GET', '/api/users/me'],
      ['PATCH', '/api/users/me', { city: 'X' }],
      ['DELETE', '/api/users/me'],
      ['GET', '/api/users/profile/'],
      ['PATCH', '/api/users/profile/', { city: 'X' }],
      ['DELETE', '/api/users/profile/'],
      ['GET', '/api/users/me/sessions'],
      ['DELETE', `/api/users/me/sessions/${NO_SUCH_ID}`],
    ];

    // Object rows: with array rows, Jest would take a missing body column for a `done` callback.
    it.each(routes.map(([method, path, body]) => ({ method, path, body })))(
      '$method $path answers 401 without a token or with a bad one',
      async ({ method, path, body }) => {
        for (const token of [undefined, 'not.a.jwt']) {
          const res = await t.request(method, path, body, { token });
          expect(res.status).toBe(401);
          expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
        }
      },
    );

    it.each([
      ['GET', 'other'],
      ['PATCH', 'other'],
      ['DELETE', 'other'],
      ['POST', 'other/restore'],
      ['DELETE', 'self'],
      ['POST', 'self/restore'],
    ])(
      '%s /api/users/{%s} answers 403 to a regular user, whether or not the id exists',
      async (method, target) => {
        const user = await signInByCode(t);
        const other = await createUser(t, admin.access);
        const ids = target.startsWith('self')
          ? [user.id]
          : [other.id, admin.id, NO_SUCH_ID, 'not-a-uuid'];
        for (const id of ids) {
          const path = `/api/users/${id}${target.endsWith('/restore') ? '/restore' : ''}`;
          const res = await t.request(
            method,
            path,
            method === 'PATCH' ? { city: 'X' } : undefined,
            {
              token: user.access,
            },
          );
          expect(res.status).toBe(403);
          expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
        }
        expect((await t.get(`/api/users/${other.id}`, { token: admin.access })).body).toMatchObject(
          {
            city: null,
            is_active: true,
          },
        );
      },
    );

    it('answers 403 to regular users on the admin-only MailGuard routes and on other ids', async () => {
      const user = await signInByCode(t);
      const other = await createUser(t, admin.access);
      const create = { email: uniqueEmail(), full_name: 'A', mobile: '1234567' };
      expect((await t.post('/api/users/', create, { token: user.access })).status).toBe(403);
      expect((await t.delete('/api/users/', { id: other.id }, { token: user.access })).status).toBe(
        403,
      );
      expect(
        (await t.patch('/api/users/', { id: other.id, city: 'X' }, { token: user.access })).status,
      ).toBe(403);
    });
  });

  describe('GET/PATCH /api/users/{id}', () => {
    it('gives users themselves and admins anyone, as a plain user object', async () => {
      const user = await signInByCode(t);
      const own = await t.get(`/api/users/${user.id}`, { token: user.access });
      expect(own.status).toBe(200);
      expect(Object.keys(own.body).sort()).toEqual(USER_FIELDS);
      expect(own.body).toMatchObject({ id: user.id, email: user.email });
      const upper = await t.get(`/api/users/${user.id.toUpperCase()}/`, { token: user.access });
      expect(upper.body.id).toBe(user.id);
      expect((await t.get(`/api/users/${user.id}`, { token: admin.access })).body.id).toBe(user.id);
    });

    it('answers admins 404 for unknown and malformed ids', async () => {
      for (const id of [NO_SUCH_ID, 'not-a-uuid', 'get-otp', '123']) {
        for (const [method, path, body] of [
          ['GET', `/api/users/${id}`],
          ['PATCH', `/api/users/${id}`, { city: 'X' }],
          ['DELETE', `/api/users/${id}`],
          ['POST', `/api/users/${id}/restore`],
        ] as [string, string, unknown][]) {
          const res = await t.request(method, path, body, { token: admin.access });
          expect([method, path, res.status]).toEqual([method, path, 404]);
          expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: 'User not found.' });
        }
      }
    });

    it('lets users patch their profile and admins anything, with 403 naming forbidden fields', async () => {
      const user = await signInByCode(t);
      const ok = await t.patch(
        `/api/users/${user.id}`,
        { full_name: 'Rest User', dob: '1999-09-09' },
        { token: user.access },
      );
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: user.id, full_name: 'Rest User', dob: '1999-09-09' });
      const forbidden = await t.patch(
        `/api/users/${user.id}`,
        { is_staff: true },
        { token: user.access },
      );
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toMatchObject({
        message: 'You are not allowed to update these fields.',
        errors: { is_staff: ['You are not allowed to update this field.'] },
      });
      const upper = await t.patch(
        `/api/users/${user.id.toUpperCase()}`,
        { state: 'Goa' },
        { token: user.access },
      );
      expect(upper.status).toBe(200);
      const byAdmin = await t.patch(
        `/api/users/${user.id}`,
        { country: 'India' },
        { token: admin.access },
      );
      expect(byAdmin.body).toMatchObject({ id: user.id, country: 'India', full_name: 'Rest User' });
    });

    it('answers 409 for a used email and for an admin removing its own rights', async () => {
      const one = await createUser(t, admin.access);
      const two = await createUser(t, admin.access);
      const taken = await t.patch(
        `/api/users/${two.id}`,
        { email: one.email },
        { token: admin.access },
      );
      expect(taken.status).toBe(409);
      expect(taken.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        code: 'CONFLICT',
        message: 'Email already registered.',
      });
      const selfDemote = await t.patch(
        `/api/users/${admin.id}`,
        { is_staff: false },
        { token: admin.access },
      );
      expect(selfDemote.status).toBe(409);
      const selfDeactivate = await t.patch(
        '/api/users/me',
        { is_active: false },
        { token: admin.access },
      );
      expect(selfDeactivate.status).toBe(409);
    });
  });

  describe('DELETE /api/users/{id} and POST /api/users/{id}/restore', () => {
    it('soft-deletes (200, the user), refuses a second delete (409), restores (200) and refuses a second restore (409)', async () => {
      const made = await createUser(t, admin.access);
      const deleted = await t.delete(`/api/users/${made.id}`, undefined, { token: admin.access });
      expect(deleted.status).toBe(200);
      expect(Object.keys(deleted.body).sort()).toEqual(USER_FIELDS);
      expect(deleted.body).toMatchObject({ id: made.id, is_active: false });
      const again = await t.delete(`/api/users/${made.id}`, undefined, { token: admin.access });
      expect(again.status).toBe(409);
      expect(again.body.message).toBe('User already deleted.');
      const restored = await t.post(`/api/users/${made.id}/restore/`, undefined, {
        token: admin.access,
      });
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id: made.id, is_active: true });
      const twice = await t.post(`/api/users/${made.id}/restore`, undefined, {
        token: admin.access,
      });
      expect(twice.status).toBe(409);
      expect(twice.body.message).toBe('User is already active.');
    });

    it('restores a deactivated (not deleted) user too', async () => {
      const made = await createUser(t, admin.access);
      await t.patch(`/api/users/${made.id}`, { is_active: false }, { token: admin.access });
      const restored = await t.post(`/api/users/${made.id}/restore`, undefined, {
        token: admin.access,
      });
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ is_active: true });
    });

    it('answers 409 when an admin deletes itself, by id or as me', async () => {
      expect(
        (await t.delete(`/api/users/${admin.id}`, undefined, { token: admin.access })).status,
      ).toBe(409);
      const me = await t.delete('/api/users/me', undefined, { token: admin.access });
      expect(me.status).toBe(409);
      expect(me.body.message).toBe('Admins cannot delete their own account. Ask another admin.');
      expect((await t.get('/api/users/me', { token: admin.access })).status).toBe(200);
    });
  });
});
