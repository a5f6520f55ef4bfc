import { runCommand } from '../scripts/cli';
import { AdminRolesService } from '../src/users/admin-roles.service';
import { SignedIn, signInByCode, sleep } from './support/auth';
import { mailsTo, uniqueEmail, waitForCode } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, usersEnv } from './support/users';

/** Soft delete, deactivation and changes that end sessions; admins; ADMIN_EMAIL and the CLI. */
describe('users: lifecycle and admin rules', () => {
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

  /** Asks for a code; resolves whether a new mail arrived within a generous wait. */
  async function codeMailArrives(email: string): Promise<boolean> {
    const before = (await mailsTo(t, email)).length;
    const res = await t.post('/api/users/get-otp/', { email });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'OTP sent to email.' });
    await sleep(600);
    return (await mailsTo(t, email)).length > before;
  }

  it('soft delete keeps the row, ends every session at once and refuses the user everywhere; restore lets them back', async () => {
    const email = uniqueEmail('doomed');
    const one = await signInByCode(t, email);
    const two = await signInByCode(t, email);
    // A code the user holds from before the deletion.
    const before = (await mailsTo(t, email)).length;
    await t.post('/api/users/get-otp/', { email });
    const heldCode = await waitForCode(t, email, before);

    const res = await t.delete('/api/users/', { id: one.id }, { token: admin.access });
    expect(res.status).toBe(200);

    for (const session of [one, two]) {
      expect((await t.get('/api/users/me', { token: session.access })).status).toBe(401);
      expect((await t.post('/api/users/token/refresh/', { refresh: session.refresh })).status).toBe(
        401,
      );
    }
    expect((await t.post('/api/users/login/', { email, otp: heldCode })).body.message).toBe(
      'Invalid OTP or email.',
    );
    expect(await codeMailArrives(email)).toBe(false);

    const listed = await t.get(`/api/users/?is_active=false&search=${encodeURIComponent(email)}`, {
      token: admin.access,
    });
    expect(listed.body.data).toEqual([expect.objectContaining({ id: one.id, is_active: false })]);
    const active = await t.get(`/api/users/?search=${encodeURIComponent(email)}`, {
      token: admin.access,
    });
    expect(active.body.data).toEqual([]);

    const restored = await t.post(`/api/users/${one.id}/restore`, undefined, {
      token: admin.access,
    });
    expect(restored.status).toBe(200);
    expect((await t.get('/api/users/me', { token: one.access })).status).toBe(401);
    const back = await signInByCode(t, email);
    expect(back.id).toBe(one.id);
  });

  it('deactivation through PATCH ends sessions and refuses sign-in; is_active=true undoes it', async () => {
    const user = await signInByCode(t);
    const res = await t.patch(
      '/api/users/',
      { id: user.id, is_active: false },
      { token: admin.access },
    );
    expect(res.body.data[0]).toMatchObject({ is_active: false });
    expect((await t.get('/api/users/me', { token: user.access })).status).toBe(401);
    expect((await t.post('/api/users/token/refresh/', { refresh: user.refresh })).status).toBe(401);
    expect(await codeMailArrives(user.email)).toBe(false);

    await t.patch('/api/users/', { id: user.id, is_active: true }, { token: admin.access });
    expect((await signInByCode(t, user.email)).id).toBe(user.id);
  });

  it('is_active=true through PATCH also restores a deleted user', async () => {
    const made = await createUser(t, admin.access);
    await t.delete('/api/users/', { id: made.id }, { token: admin.access });
    const res = await t.patch(
      '/api/users/',
      { id: made.id, is_active: true },
      { token: admin.access },
    );
    expect(res.body.data[0]).toMatchObject({ is_active: true });
    const again = await t.delete('/api/users/', { id: made.id }, { token: admin.access });
    expect(again.status).toBe(200);
  });

  it('a change of is_staff ends the sessions, and the next sign-in carries the new rights', async () => {
    const user = await signInByCode(t);
    await t.patch(`/api/users/${user.id}`, { is_staff: true }, { token: admin.access });
    expect((await t.get('/api/users/me', { token: user.access })).status).toBe(401);
    expect((await t.post('/api/users/token/refresh/', { refresh: user.refresh })).status).toBe(401);
    const promoted = await signInByCode(t, user.email);
    expect(
      (await t.get('/api/users/?limit=1', { token: promoted.access })).body.meta.total,
    ).toBeGreaterThan(1);

    await t.patch(`/api/users/${user.id}`, { is_staff: false }, { token: admin.access });
    expect((await t.get('/api/users/me', { token: promoted.access })).status).toBe(401);
    const demoted = await signInByCode(t, user.email);
    expect((await t.get('/api/users/?limit=1', { token: demoted.access })).body.data).toEqual([
      expect.objectContaining({ id: user.id, is_staff: false }),
    ]);
  });

  it('a change of email ends the sessions; the user signs in with the new address', async () => {
    const user = await signInByCode(t);
    const moved = uniqueEmail('moved');
    const res = await t.patch(
      '/api/users/',
      { id: user.id, email: moved.toUpperCase() },
      { token: admin.access },
    );
    expect(res.body.data[0].email).toBe(moved);
    expect((await t.get('/api/users/me', { token: user.access })).status).toBe(401);
    expect((await signInByCode(t, moved)).id).toBe(user.id);
  });

  it('profile changes and no-op admin changes keep the sessions', async () => {
    const user = await signInByCode(t);
    await t.patch('/api/users/', { id: user.id, city: 'Agra' }, { token: user.access });
    await t.patch(
      '/api/users/',
      { id: user.id, is_staff: false, is_active: true, email: user.email },
      { token: admin.access },
    );
    expect((await t.get('/api/users/me', { token: user.access })).status).toBe(200);
  });

  it('an admin cannot delete, deactivate or demote itself, through any route', async () => {
    const attempts = [
      t.delete('/api/users/', { id: admin.id }, { token: admin.access }),
      t.patch('/api/users/', { id: admin.id, is_staff: false }, { token: admin.access }),
      t.patch('/api/users/', { id: admin.id, is_active: false }, { token: admin.access }),
      t.delete(`/api/users/${admin.id}`, undefined, { token: admin.access }),
      t.patch(`/api/users/${admin.id}`, { is_staff: false }, { token: admin.access }),
      t.patch('/api/users/me', { is_active: false }, { token: admin.access }),
      t.delete('/api/users/me', undefined, { token: admin.access }),
    ];
    const upper = admin.id.toUpperCase();
    attempts.push(
      t.delete(`/api/users/${upper}`, undefined, { token: admin.access }),
      t.patch(`/api/users/${upper}`, { is_staff: false }, { token: admin.access }),
      t.delete('/api/users/', { id: upper }, { token: admin.access }),
    );
    expect((await Promise.all(attempts)).map((res) => res.status)).toEqual([
      400, 400, 400, 409, 409, 409, 409, 409, 409, 400,
    ]);
    expect((await t.get('/api/users/me', { token: admin.access })).body).toMatchObject({
      is_staff: true,
      is_active: true,
    });
  });

  it('an admin can delete another admin, whose token then dies', async () => {
    const other = await createUser(t, admin.access, { is_staff: true });
    const session = await signInByCode(t, other.email);
    expect(
      (await t.delete(`/api/users/${other.id}`, undefined, { token: admin.access })).status,
    ).toBe(200);
    expect((await t.get('/api/users/', { token: session.access })).status).toBe(401);
  });

  describe('CLI (npm run cli)', () => {
    const cli = (...args: string[]) => runCommand(args, t.app.get(AdminRolesService));

    it('promotes and demotes by email, ending the sessions, idempotently', async () => {
      const user = await signInByCode(t);
      expect(await cli('users:promote', user.email.toUpperCase())).toEqual({
        code: 0,
        output: `${user.email} is now an admin; its sessions were ended.`,
      });
      expect((await t.get('/api/users/me', { token: user.access })).status).toBe(401);
      const promoted = await signInByCode(t, user.email);
      expect((await t.get('/api/users/me', { token: promoted.access })).body.is_staff).toBe(true);
      expect(await cli('users:promote', user.email)).toEqual({
        code: 0,
        output: `${user.email} is already an admin.`,
      });
      expect((await cli('users:demote', user.email)).code).toBe(0);
      expect((await t.get('/api/users/me', { token: promoted.access })).status).toBe(401);
      expect(await cli('users:demote', user.email)).toEqual({
        code: 0,
        output: `${user.email} is not an admin.`,
      });
    });

    it('exits non-zero for unknown or invalid emails and bad usage', async () => {
      expect(await cli('users:promote', uniqueEmail('nobody'))).toMatchObject({
        code: 1,
        output: expect.stringMatching(/^No account with the email/),
      });
      expect((await cli('users:promote', 'not-an-email')).code).toBe(1);
      expect((await cli('users:promote')).code).toBe(2);
      expect((await cli('users:delete', admin.email)).code).toBe(2);
    });
  });

  describe('ADMIN_EMAIL bootstrap', () => {
    it('makes the account an admin when ensured concurrently, creating it exactly once', async () => {
      const roles = t.app.get(AdminRolesService);
      const email = uniqueEmail('boot');
      const outcomes = await Promise.all([1, 2, 3, 4].map(() => roles.ensureAdmin(email)));
      expect(outcomes.sort()).toEqual(['created', 'unchanged', 'unchanged', 'unchanged']);
      const found = await t.get(`/api/users/?search=${encodeURIComponent(email)}&is_staff=true`, {
        token: admin.access,
      });
      expect(found.body.data).toEqual([
        expect.objectContaining({ email, is_staff: true, is_active: true, is_verified: true }),
      ]);
    });
  });
});
