import { uniqueEmail } from './support/mailbox';
import { signInByCode } from './support/auth';
import { usersEnv } from './support/users';
import { startTestApp, TestApp } from './support/test-app';

describe('admin user creation runs the email validation chain', () => {
  const adminEmail = uniqueEmail('admin');
  let t: TestApp;
  let admin: { access: string; id: string };

  beforeAll(async () => {
    t = await startTestApp(usersEnv(adminEmail));
    admin = await signInByCode(t, adminEmail);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses a disposable address with INVALID_EMAIL and creates nothing', async () => {
    const res = await t.post(
      '/api/users/',
      { email: 'someone@mailinator.com', full_name: 'Someone', mobile: '9876543210' },
      { token: admin.access },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'INVALID_EMAIL',
      message: 'Invalid email address.',
      errors: { email: [expect.any(String)] },
    });
    const list = await t.get('/api/users/?search=mailinator', { token: admin.access });
    expect(list.body.meta.total).toBe(0);
  });

  it('refuses changing an email to a disposable one', async () => {
    const created = await t.post(
      '/api/users/',
      { email: uniqueEmail('member'), full_name: 'Member', mobile: '9876543210' },
      { token: admin.access },
    );
    expect(created.status).toBe(201);
    const id = created.body.data[0].id as string;
    const res = await t.patch(
      `/api/users/${id}`,
      { email: 'member@yopmail.com' },
      { token: admin.access },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_EMAIL');
  });

  it('accepts a normal address', async () => {
    const res = await t.post(
      '/api/users/',
      { email: uniqueEmail('fine'), full_name: 'Fine', mobile: '+919876543210' },
      { token: admin.access },
    );
    expect(res.status).toBe(201);
    expect(res.body.message).toBe('User added successfully');
  });
});
