import { SignedIn, signInByCode } from './support/auth';
import { mailsTo, uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, NO_SUCH_ID, USER_FIELDS, usersEnv } from './support/users';

/** The MailGuard client contract of /api/users/ (id in the body): changing and deleting users. */
describe('users, MailGuard routes: PATCH and DELETE /api/users/', () => {
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

  describe('PATCH /api/users/', () => {
    it('lets admins change any field of anyone: 200 with the envelope', async () => {
      const made = await createUser(t, admin.access);
      const email = uniqueEmail('moved');
      const res = await t.patch(
        '/api/users/',
        {
          id: made.id,
          email,
          full_name: 'Renamed',
          city: 'Pune',
          is_staff: true,
          dob: '2000-02-29',
        },
        { token: admin.access },
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: [
          expect.objectContaining({
            id: made.id,
            email,
            full_name: 'Renamed',
            city: 'Pune',
            is_staff: true,
            dob: '2000-02-29',
          }),
        ],
        message: 'Details updated successfully.',
      });
    });

    it('lets users change their own profile fields, and clear optional ones with null or ""', async () => {
      const user = await signInByCode(t);
      const profile = {
        full_name: 'Self Made',
        mobile: '+919876543210',
        gender: 'non-binary',
        dob: '1985-12-31',
        address: '1 Main St',
        city: 'Chennai',
        state: 'Tamil Nadu',
        country: 'India',
        pincode: 'SW1A 1AA',
      };
      const res = await t.patch('/api/users/', { id: user.id, ...profile }, { token: user.access });
      expect(res.status).toBe(200);
      expect(res.body.data[0]).toMatchObject(profile);
      const cleared = await t.patch(
        '/api/users/',
        { id: user.id, city: null, pincode: '', gender: '  ' },
        { token: user.access },
      );
      expect(cleared.body.data[0]).toMatchObject({
        city: null,
        pincode: null,
        gender: null,
        state: 'Tamil Nadu',
      });
      expect(
        (await t.patch('/api/users/', { id: user.id, full_name: null }, { token: user.access }))
          .body.errors,
      ).toEqual({ full_name: ['Full name must be 1 to 150 characters.'] });
    });

    it('answers 403 "You are not authorized to update other users." for any id but their own, existing or not', async () => {
      const user = await signInByCode(t);
      const other = await createUser(t, admin.access);
      for (const id of [other.id, admin.id, NO_SUCH_ID, 'not-a-uuid', 42]) {
        const res = await t.patch(
          '/api/users/',
          { id, full_name: 'Hacked' },
          { token: user.access },
        );
        expect(res.status).toBe(403);
        expect(res.body).toEqual({
          statusCode: 403,
          error: 'Forbidden',
          code: 'FORBIDDEN',
          message: 'You are not authorized to update other users.',
        });
      }
      expect((await t.get(`/api/users/${other.id}`, { token: admin.access })).body.full_name).toBe(
        'Made User',
      );
    });

    it('answers 403 "You are not allowed to update these fields." naming them', async () => {
      const user = await signInByCode(t);
      const res = await t.patch(
        '/api/users/',
        { id: user.id, city: 'Delhi', is_staff: true, is_active: true, email: uniqueEmail() },
        { token: user.access },
      );
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        code: 'FORBIDDEN',
        message: 'You are not allowed to update these fields.',
        errors: {
          email: ['You are not allowed to update this field.'],
          is_active: ['You are not allowed to update this field.'],
          is_staff: ['You are not allowed to update this field.'],
        },
      });
      expect((await t.get('/api/users/me', { token: user.access })).body).toMatchObject({
        city: null,
        is_staff: false,
      });
    });

    it('answers admins 400 "ID does not exist." for unknown and malformed ids, and requires an id', async () => {
      for (const id of [NO_SUCH_ID, 'not-a-uuid', 7]) {
        const res = await t.patch('/api/users/', { id, full_name: 'X' }, { token: admin.access });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          message: 'ID does not exist.',
          errors: { id: ['ID does not exist.'] },
        });
      }
      const missing = await t.patch('/api/users/', { full_name: 'X' }, { token: admin.access });
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual({ id: ['ID is required.'] });
    });

    it('answers 400 "Email already registered." when an admin moves a user to a used email', async () => {
      const one = await createUser(t, admin.access);
      const two = await createUser(t, admin.access);
      const res = await t.patch(
        '/api/users/',
        { id: two.id, email: one.email.toUpperCase() },
        { token: admin.access },
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        message: 'Email already registered.',
        errors: { email: ['Email already registered.'] },
      });
    });

    it('refuses strings for booleans and validates every field like POST does', async () => {
      const made = await createUser(t, admin.access);
      const res = await t.patch(
        '/api/users/',
        { id: made.id, is_active: 'false', mobile: 'abc' },
        { token: admin.access },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual({
        mobile: ['Mobile must be 7 to 15 digits, optionally starting with +.'],
        is_active: ['is_active must be true or false.'],
      });
      const extra = await t.patch(
        '/api/users/',
        { id: made.id, password_hash: 'x' },
        { token: admin.access },
      );
      expect(extra.body.errors).toEqual({ password_hash: ['This field is not allowed.'] });
    });

    it('answers 400 when admins would remove their own admin rights or access', async () => {
      for (const change of [{ is_staff: false }, { is_active: false }]) {
        const res = await t.patch(
          '/api/users/',
          { id: admin.id, ...change },
          { token: admin.access },
        );
        expect(res.status).toBe(400);
        expect(res.body.message).toMatch(
          /^You cannot (remove your own admin rights|deactivate your own account)/,
        );
      }
      expect((await t.get('/api/users/me', { token: admin.access })).body).toMatchObject({
        is_staff: true,
        is_active: true,
      });
    });
  });

  describe('DELETE /api/users/', () => {
    it('soft-deletes: 200 with the envelope, the user inactive, then "User already deleted."', async () => {
      const made = await createUser(t, admin.access);
      const res = await t.delete('/api/users/', { id: made.id }, { token: admin.access });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: [expect.objectContaining({ id: made.id, is_active: false })],
        message: 'User deleted successfully',
      });
      expect(Object.keys(res.body.data[0]).sort()).toEqual(USER_FIELDS);
      const again = await t.delete('/api/users/', { id: made.id }, { token: admin.access });
      expect(again.status).toBe(400);
      expect(again.body.message).toBe('User already deleted.');
    });

    it('answers 400 "ID does not exist." for unknown ids and "ID is required." without one', async () => {
      for (const id of [NO_SUCH_ID, 'nope', 3]) {
        const res = await t.delete('/api/users/', { id }, { token: admin.access });
        expect(res.status).toBe(400);
        expect(res.body.message).toBe('ID does not exist.');
      }
      const missing = await t.delete('/api/users/', {}, { token: admin.access });
      expect(missing.body.errors).toEqual({ id: ['ID is required.'] });
      const noBody = await t.delete('/api/users/', undefined, { token: admin.access });
      expect(noBody.status).toBe(400);
    });

    it('answers 400 when admins delete themselves', async () => {
      const res = await t.delete('/api/users/', { id: admin.id }, { token: admin.access });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('Admins cannot delete their own account. Ask another admin.');
    });

    it('is for admins only: 403 whether or not the id exists', async () => {
      const user = await signInByCode(t);
      for (const id of [user.id, admin.id, NO_SUCH_ID]) {
        expect((await t.delete('/api/users/', { id }, { token: user.access })).status).toBe(403);
      }
      expect((await t.get('/api/users/me', { token: user.access })).status).toBe(200);
    });
  });

  it('sends no mail for admin actions', async () => {
    const made = await createUser(t, admin.access);
    await t.patch('/api/users/', { id: made.id, city: 'Goa' }, { token: admin.access });
    expect(await mailsTo(t, made.email)).toEqual([]);
  });
});
