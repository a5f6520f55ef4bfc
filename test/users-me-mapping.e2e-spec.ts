import { uniqueEmail } from './support/mailbox';
import { signInByCode } from './support/auth';
import { usersEnv } from './support/users';
import { startTestApp, TestApp } from './support/test-app';

/** GET /api/users/me reads the user with plain SQL; it must answer exactly what the entity mapper does. */
describe('the user object from the read path and from the write path', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(usersEnv(uniqueEmail('admin')));
  });
  afterAll(async () => {
    await t.close();
  });

  it('is the same object, field for field and in the same order', async () => {
    const user = await signInByCode(t);
    const patched = await t.patch(
      '/api/users/me',
      {
        full_name: 'Asha Rao',
        mobile: '+919876543210',
        gender: 'female',
        dob: '1990-04-01',
        address: '12 MG Road',
        city: 'Bengaluru',
        state: 'Karnataka',
        country: 'India',
        pincode: '560001',
      },
      { token: user.access },
    );
    expect(patched.status).toBe(200);
    const read = await t.get('/api/users/me', { token: user.access });
    expect(read.status).toBe(200);
    expect(read.text).toBe(JSON.stringify(patched.body));
    expect(read.body).toMatchObject({ dob: '1990-04-01', has_password: false, is_verified: true });
  });
});
