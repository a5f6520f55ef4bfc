import { SignedIn, signInByCode } from './support/auth';
import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import {
  createUser,
  NO_SUCH_ID,
  uniqueMarker,
  USER_FIELDS,
  UserListBody,
  usersEnv,
} from './support/users';

/** The MailGuard client contract of /api/users/ (id in the body): listing and adding users. */
describe('users, MailGuard routes: GET and POST /api/users/', () => {
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

  const list = (query: string, token = admin.access) =>
    t.get<UserListBody>(`/api/users/${query}`, { token });

  describe('GET /api/users/', () => {
    it('gives admins a page of users in the envelope, with exactly the user object fields', async () => {
      const res = await list('');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['data', 'message', 'meta']);
      expect(res.body.message).toBe('Data retrieved successfully');
      expect(res.body.meta).toEqual({ page: 1, limit: 20, total: expect.any(Number) });
      expect(res.body.data.length).toBeGreaterThan(0);
      for (const user of res.body.data) expect(Object.keys(user).sort()).toEqual(USER_FIELDS);
      expect(res.text).not.toMatch(/password_hash|passwordHash|deleted_at|deletedAt/);
    });

    it('gives regular users a list holding only themselves, whatever they ask', async () => {
      const user = await signInByCode(t);
      const res = await list('?is_active=false&limit=5', user.access);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: [expect.objectContaining({ id: user.id, email: user.email, is_staff: false })],
        message: 'Data retrieved successfully',
        meta: { page: 1, limit: 5, total: 1 },
      });
    });

    it('pages with page and limit and reports the total over all pages', async () => {
      const tag = uniqueMarker();
      for (let i = 0; i < 5; i += 1)
        await createUser(t, admin.access, { full_name: `${tag} ${i}` });
      const first = await list(`?search=${tag}&limit=2&ordering=full_name`);
      expect(first.status).toBe(200);
      expect(first.body.meta).toEqual({ page: 1, limit: 2, total: 5 });
      expect(first.body.data.map((u) => u.full_name)).toEqual([`${tag} 0`, `${tag} 1`]);
      const third = await list(`?search=${tag}&limit=2&page=3&ordering=full_name`);
      expect(third.body.meta).toEqual({ page: 3, limit: 2, total: 5 });
      expect(third.body.data.map((u) => u.full_name)).toEqual([`${tag} 4`]);
      const beyond = await list(`?search=${tag}&limit=2&page=9`);
      expect(beyond.body).toMatchObject({ data: [], meta: { page: 9, limit: 2, total: 5 } });
    });

    it.each([
      ['?limit=101', 'limit', 'limit must be a whole number from 1 to 100.'],
      ['?limit=0', 'limit', 'limit must be a whole number from 1 to 100.'],
      ['?limit=ten', 'limit', 'limit must be a whole number from 1 to 100.'],
      ['?page=0', 'page', 'page must be a whole number of at least 1.'],
      ['?page=-1', 'page', 'page must be a whole number of at least 1.'],
      ['?is_active=maybe', 'is_active', 'is_active must be true or false.'],
      ['?is_staff=yes', 'is_staff', 'is_staff must be true or false.'],
      [
        '?ordering=password_hash',
        'ordering',
        expect.stringMatching(/^ordering must be one or more of created_at, -created_at/),
      ],
      ['?ordering=email,email', 'ordering', expect.stringMatching(/^ordering must be/)],
      ['?search=ab', 'search', 'search must be 3 to 100 characters.'],
      [`?search=${'x'.repeat(101)}`, 'search', 'search must be 3 to 100 characters.'],
      ['?search=a&search=b', 'search', 'search must be a string.'],
      ['?unknown=1', 'unknown', 'This field is not allowed.'],
    ])('refuses %s with 400 naming the parameter', async (query, field, message) => {
      const res = await list(query);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: { [field]: [message] } });
    });

    it('searches email, full name and mobile, case-insensitively, with wildcards taken literally', async () => {
      const tag = uniqueMarker();
      const byName = await createUser(t, admin.access, { full_name: `Asha ${tag}` });
      const byEmail = await createUser(t, admin.access, {
        email: `${tag.toLowerCase()}@example.com`,
      });
      const mobile = `+91${Date.now().toString().slice(-10)}`;
      const byMobile = await createUser(t, admin.access, { mobile });
      const found = async (term: string) =>
        (await list(`?search=${encodeURIComponent(term)}&limit=100`)).body.data.map((u) => u.id);
      expect(await found(tag.toUpperCase())).toEqual(
        expect.arrayContaining([byName.id, byEmail.id]),
      );
      expect(await found(`asha ${tag}`.toUpperCase())).toEqual([byName.id]);
      expect(await found(mobile.slice(3, 12))).toEqual([byMobile.id]);
      expect(await found(`${tag}%`)).toEqual([]);
      expect(await found(`${tag.slice(0, 3)}_${tag.slice(4)}`)).toEqual([]);
    });

    it('orders by the allow-listed fields, ascending or descending, newest first by default', async () => {
      const tag = uniqueMarker();
      const a = await createUser(t, admin.access, {
        full_name: `${tag} b`,
        email: `c.${tag.toLowerCase()}@example.com`,
      });
      const b = await createUser(t, admin.access, {
        full_name: `${tag} c`,
        email: `a.${tag.toLowerCase()}@example.com`,
      });
      const c = await createUser(t, admin.access, {
        full_name: `${tag} a`,
        email: `b.${tag.toLowerCase()}@example.com`,
      });
      const ids = async (ordering?: string) =>
        (await list(`?search=${tag}${ordering ? `&ordering=${ordering}` : ''}`)).body.data.map(
          (u) => u.id,
        );
      expect(await ids()).toEqual([c.id, b.id, a.id]);
      expect(await ids('created_at')).toEqual([a.id, b.id, c.id]);
      expect(await ids('email')).toEqual([b.id, c.id, a.id]);
      expect(await ids('-email')).toEqual([a.id, c.id, b.id]);
      expect(await ids('-full_name')).toEqual([b.id, a.id, c.id]);
      expect(await ids('last_login,-created_at')).toEqual([c.id, b.id, a.id]);
    });

    it('lists active users by default, deactivated and deleted ones with is_active=false, and filters by is_staff', async () => {
      const tag = uniqueMarker();
      const active = await createUser(t, admin.access, { full_name: `${tag} active` });
      const staff = await createUser(t, admin.access, {
        full_name: `${tag} staff`,
        is_staff: true,
      });
      const deleted = await createUser(t, admin.access, { full_name: `${tag} deleted` });
      const inactive = await createUser(t, admin.access, { full_name: `${tag} inactive` });
      expect(
        (await t.delete('/api/users/', { id: deleted.id }, { token: admin.access })).status,
      ).toBe(200);
      expect(
        (
          await t.patch(
            '/api/users/',
            { id: inactive.id, is_active: false },
            { token: admin.access },
          )
        ).status,
      ).toBe(200);
      const ids = async (query: string) =>
        (await list(`?search=${tag}&ordering=full_name${query}`)).body.data.map((u) => u.id);
      expect(await ids('')).toEqual([active.id, staff.id]);
      expect(await ids('&is_active=true')).toEqual([active.id, staff.id]);
      expect(await ids('&is_active=false')).toEqual([deleted.id, inactive.id]);
      expect(await ids('&is_staff=true')).toEqual([staff.id]);
      expect(await ids('&is_staff=false')).toEqual([active.id]);
      expect(await ids('&is_staff=False&is_active=False')).toEqual([deleted.id, inactive.id]);
    });
  });

  describe('POST /api/users/', () => {
    it('adds a user: 201 with the envelope, canonical email, not verified, no password', async () => {
      const email = uniqueEmail('new');
      const res = await t.post(
        '/api/users/',
        {
          email: `  ${email.toUpperCase()} `,
          full_name: ' New User ',
          mobile: '1234567890',
          gender: 'female',
          dob: '1990-04-01',
          address: '12 MG Road',
          city: 'Bengaluru',
          state: 'Karnataka',
          country: 'India',
          pincode: '560001',
        },
        { token: admin.access },
      );
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ data: [expect.any(Object)], message: 'User added successfully' });
      const user = res.body.data[0];
      expect(Object.keys(user).sort()).toEqual(USER_FIELDS);
      expect(user).toMatchObject({
        email,
        full_name: 'New User',
        mobile: '1234567890',
        gender: 'female',
        dob: '1990-04-01',
        pincode: '560001',
        is_active: true,
        is_staff: false,
        is_verified: false,
        has_password: false,
        last_login: null,
      });
    });

    it('lets the added user sign in with a code, and can add an admin', async () => {
      const made = await createUser(t, admin.access, { is_staff: true });
      const session = await signInByCode(t, made.email);
      expect(session.id).toBe(made.id);
      expect((await list('?limit=1', session.access)).body.meta.total).toBeGreaterThan(1);
    });

    it.each([
      [{ full_name: 'A', mobile: '1234567' }, ['email']],
      [{ email: 'x@example.com', mobile: '1234567' }, ['full_name']],
      [{ email: 'x@example.com', full_name: 'A' }, ['mobile']],
      [{ email: 'x@example.com', full_name: '  ', mobile: '' }, ['full_name', 'mobile']],
      [{}, ['email', 'full_name', 'mobile']],
    ])('answers 400 "Email, Full Name, and Mobile are required." for %j', async (body, fields) => {
      const res = await t.post('/api/users/', body, { token: admin.access });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('Email, Full Name, and Mobile are required.');
      expect(Object.keys(res.body.errors).sort()).toEqual(fields);
    });

    it('answers 400 "Email already registered." for a used email in any spelling, deleted accounts included', async () => {
      const made = await createUser(t, admin.access);
      const again = await t.post(
        '/api/users/',
        { email: made.email.toUpperCase(), full_name: 'Other', mobile: '1234567' },
        { token: admin.access },
      );
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: 'Email already registered.',
        errors: { email: ['Email already registered.'] },
      });
      await t.delete('/api/users/', { id: made.id }, { token: admin.access });
      const afterDelete = await t.post(
        '/api/users/',
        { email: made.email, full_name: 'Other', mobile: '1234567' },
        { token: admin.access },
      );
      expect(afterDelete.body.message).toBe('Email already registered.');
    });

    it.each([
      [{ email: 'not-an-email' }, 'email', 'Enter a valid email address.'],
      [{ full_name: 'x'.repeat(151) }, 'full_name', 'Full name must be 1 to 150 characters.'],
      [{ mobile: '12345' }, 'mobile', 'Mobile must be 7 to 15 digits, optionally starting with +.'],
      [
        { mobile: '+91 98765 43210' },
        'mobile',
        'Mobile must be 7 to 15 digits, optionally starting with +.',
      ],
      [{ mobile: 9876543210 }, 'mobile', 'Mobile must be a string.'],
      [{ dob: '2990-01-01' }, 'dob', 'Date of birth cannot be in the future.'],
      [{ dob: '1990-02-30' }, 'dob', 'Date of birth must be a real date in the form YYYY-MM-DD.'],
      [{ dob: '01/02/1990' }, 'dob', 'Date of birth must be a real date in the form YYYY-MM-DD.'],
      [{ dob: '1899-12-31' }, 'dob', 'Date of birth cannot be before 1900-01-01.'],
      [{ gender: 'g'.repeat(21) }, 'gender', 'Gender must be text of at most 20 characters.'],
      [{ address: 'a'.repeat(256) }, 'address', 'Address must be text of at most 255 characters.'],
      [{ city: 'c'.repeat(101) }, 'city', 'City must be text of at most 100 characters.'],
      [{ state: 5 }, 'state', 'State must be a string.'],
      [{ country: 'c'.repeat(101) }, 'country', 'Country must be text of at most 100 characters.'],
      [{ pincode: '56' }, 'pincode', 'Pincode must be 3 to 12 letters, digits, spaces or dashes.'],
      [
        { pincode: '560_001' },
        'pincode',
        'Pincode must be 3 to 12 letters, digits, spaces or dashes.',
      ],
      [{ is_staff: 'true' }, 'is_staff', 'is_staff must be true or false.'],
      [{ is_active: false }, 'is_active', 'This field is not allowed.'],
      [{ password_hash: 'x' }, 'password_hash', 'This field is not allowed.'],
      [{ is_verified: true }, 'is_verified', 'This field is not allowed.'],
      [{ id: NO_SUCH_ID }, 'id', 'This field is not allowed.'],
      [{ deleted_at: null }, 'deleted_at', 'This field is not allowed.'],
    ])('refuses %j with a message for the field', async (fields, field, message) => {
      const res = await t.post(
        '/api/users/',
        { email: uniqueEmail(), full_name: 'Valid Name', mobile: '+919876543210', ...fields },
        { token: admin.access },
      );
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual({ [field]: [message] });
    });

    it('is for admins only', async () => {
      const user = await signInByCode(t);
      const res = await t.post(
        '/api/users/',
        { email: uniqueEmail(), full_name: 'X', mobile: '1234567' },
        { token: user.access },
      );
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    });
  });
});
