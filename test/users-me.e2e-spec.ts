import { SignedIn, signInByCode } from './support/auth';
import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { NO_SUCH_ID, SessionObject, USER_FIELDS, usersEnv } from './support/users';

/** The caller's own account and sessions: /api/users/me, /api/users/profile/, /api/users/me/sessions. */
describe('users: the caller itself (/api/users/me, /profile/, /me/sessions)', () => {
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
