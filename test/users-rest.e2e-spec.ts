import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { SignedIn, signInByCode } from './support/auth';
import { createUser, NO_SUCH_ID, SessionObject, USER_FIELDS, usersEnv } from './support/users';

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

  describe('/api/users/me and /api/users/profile/', () => {
    it('reads and updates the caller under both names', async () => {
      const user = await signInByCode(t);
      for (const path of [
        '/api/users/me',
        '/api/users/me/',
        '/api/users/profile',
        '/api/users/profile/',
      ]) {
        const res = await t.get(path, { token: user.access });
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(USER_FIELDS);
        expect(res.body.id).toBe(user.id);
      }
      const patched = await t.patch(
        '/api/users/profile/',
        { city: 'Mysuru' },
        { token: user.access },
      );
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: user.id, city: 'Mysuru' });
      const forbidden = await t.patch(
        '/api/users/me',
        { email: uniqueEmail() },
        { token: user.access },
      );
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.errors).toEqual({
        email: ['You are not allowed to update this field.'],
      });
    });

    it('DELETE closes the account: 204, every session ends at once, the admin still sees it', async () => {
      const email = uniqueEmail();
      const one = await signInByCode(t, email);
      const two = await signInByCode(t, email);
      const res = await t.delete('/api/users/profile/', undefined, { token: one.access });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      for (const session of [one, two]) {
        expect((await t.get('/api/users/me', { token: session.access })).status).toBe(401);
        expect(
          (await t.post('/api/users/token/refresh/', { refresh: session.refresh })).status,
        ).toBe(401);
      }
      const seen = await t.get(`/api/users/${one.id}`, { token: admin.access });
      expect(seen.body).toMatchObject({ id: one.id, is_active: false });
    });
  });

  describe('/api/users/me/sessions', () => {
    it('lists the live sessions, marks the current one, and ends another one (204)', async () => {
      const email = uniqueEmail();
      const phone = await signInByCode(t, email);
      const laptop = await signInByCode(t, email);
      const gone = await signInByCode(t, email);
      await t.post('/api/users/logout/', {}, { token: gone.access });

      const res = await t.get<{ data: SessionObject[] }>('/api/users/me/sessions/', {
        token: laptop.access,
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['data']);
      expect(res.body.data).toHaveLength(2);
      for (const session of res.body.data)
        expect(Object.keys(session).sort()).toEqual([
          'created_at',
          'current',
          'id',
          'ip',
          'last_used_at',
          'user_agent',
        ]);
      const current = res.body.data.filter((s) => s.current);
      expect(current).toHaveLength(1);
      const other = res.body.data.find((s) => !s.current)!;

      const ended = await t.delete(`/api/users/me/sessions/${other.id}`, undefined, {
        token: laptop.access,
      });
      expect(ended.status).toBe(204);
      expect((await t.get('/api/users/me', { token: phone.access })).status).toBe(401);
      expect((await t.get('/api/users/me', { token: laptop.access })).status).toBe(200);
      const left = await t.get<{ data: SessionObject[] }>('/api/users/me/sessions', {
        token: laptop.access,
      });
      expect(left.body.data.map((s) => s.id)).toEqual([current[0].id]);

      const again = await t.delete(`/api/users/me/sessions/${other.id}`, undefined, {
        token: laptop.access,
      });
      expect(again.status).toBe(404);
    });

    it('answers 404 for sessions of others, unknown ids and malformed ids', async () => {
      const mine = await signInByCode(t);
      const theirs = await signInByCode(t);
      const theirSessions = await t.get('/api/users/me/sessions', { token: theirs.access });
      for (const id of [theirSessions.body.data[0].id, NO_SUCH_ID, 'nope']) {
        const res = await t.delete(`/api/users/me/sessions/${id}`, undefined, {
          token: mine.access,
        });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: 'Session not found.' });
      }
      expect((await t.get('/api/users/me', { token: theirs.access })).status).toBe(200);
    });

    it('can end the current session, which signs the caller out', async () => {
      const user = await signInByCode(t);
      const [current] = (await t.get('/api/users/me/sessions', { token: user.access })).body.data;
      expect(
        (await t.delete(`/api/users/me/sessions/${current.id}`, undefined, { token: user.access }))
          .status,
      ).toBe(204);
      expect((await t.get('/api/users/me', { token: user.access })).status).toBe(401);
    });
  });
});
