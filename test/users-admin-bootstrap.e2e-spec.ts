import { runCommand } from '../scripts/cli';
import { AdminRolesService } from '../src/users/admin-roles.service';
import { signInByCode } from './support/auth';
import { createTestDatabase } from './support/database';
import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, UserObject, usersEnv } from './support/users';

/** ADMIN_EMAIL on boot and across restarts, and the guard that always leaves one active admin. */
describe('ADMIN_EMAIL across restarts', () => {
  it('is idempotent: a second boot on the same database changes nothing and keeps the sessions', async () => {
    const db = await createTestDatabase();
    const email = uniqueEmail('boss');
    try {
      const first = await startTestApp(usersEnv(email), db);
      const boss = await signInByCode(first, email);
      await first.close();

      const second = await startTestApp(usersEnv(email), db);
      try {
        const me = await second.get('/api/users/me', { token: boss.access });
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({ id: boss.id, email, is_staff: true, is_active: true });
        const all = await second.get(`/api/users/?search=${encodeURIComponent(email)}`, {
          token: boss.access,
        });
        expect(all.body.meta.total).toBe(1);
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });

  it('promotes an existing account and brings a deleted one back', async () => {
    const db = await createTestDatabase();
    const firstAdmin = uniqueEmail('first');
    const later = uniqueEmail('later');
    try {
      const first = await startTestApp(usersEnv(firstAdmin), db);
      const boss = await signInByCode(first, firstAdmin);
      const made = await createUser(first, boss.access, { email: later });
      await first.delete('/api/users/', { id: made.id }, { token: boss.access });
      await first.close();

      const second = await startTestApp(usersEnv(later), db);
      try {
        const session = await signInByCode(second, later);
        const me = await second.get('/api/users/me', { token: session.access });
        expect(me.body).toMatchObject({
          id: made.id,
          is_staff: true,
          is_active: true,
          is_verified: true,
        });
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });
});

describe('the last active admin', () => {
  let t: TestApp;
  const soleEmail = uniqueEmail('sole');

  beforeAll(async () => {
    t = await startTestApp(usersEnv(soleEmail));
  });
  afterAll(async () => {
    await t.close();
  });

  it('cannot be demoted from the shell', async () => {
    const result = await runCommand(['users:demote', soleEmail], t.app.get(AdminRolesService));
    expect(result).toEqual({
      code: 1,
      output: 'The last active admin cannot be removed. Make another user an admin first.',
    });
    const sole = await signInByCode(t, soleEmail);
    expect((await t.get('/api/users/me', { token: sole.access })).body.is_staff).toBe(true);
  });

  it('survives two admins demoting or deleting each other at the same moment', async () => {
    const sole = await signInByCode(t, soleEmail);
    const made = await createUser(t, sole.access, { is_staff: true });
    const other = await signInByCode(t, made.email);
    const results = await Promise.all([
      t.patch(`/api/users/${other.id}`, { is_staff: false }, { token: sole.access }),
      t.delete(`/api/users/${sole.id}`, undefined, { token: other.access }),
    ]);
    const statuses = results.map((res) => res.status).sort();
    // Whoever goes second finds itself no longer an admin (or the other the last one).
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const admins = (
      await Promise.all(
        [soleEmail, made.email].map((email) => signInByCode(t, email).catch(() => null)),
      )
    ).filter((session) => session !== null);
    const rights = await Promise.all(
      admins.map(
        async (session) =>
          (await t.get<UserObject>('/api/users/me', { token: session.access })).body.is_staff,
      ),
    );
    expect(rights.filter(Boolean)).toHaveLength(1);
  });
});
