import { PASSWORD, signInByCode, signUpWithPassword } from './support/auth';
import { mailsTo, uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const NEW_PASSWORD = 'n3w-Secret!pass';
const CHANGED_SUBJECT = 'Your MailGuard password was changed';

describe('changing your own password (POST /api/users/me/password)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ACCOUNT_LOCK_THRESHOLD: '3', OTP_RESEND_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  function change(access: string, body: object) {
    return t.post('/api/users/me/password', body, { token: access });
  }

  function passwordLogin(email: string, password: string) {
    return t.post('/api/users/login/', { email, password });
  }

  it('asks for the current password when there is one, and refuses a wrong one', async () => {
    const user = await signUpWithPassword(t, uniqueEmail());
    const missing = await change(user.access, { new_password: NEW_PASSWORD });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: { current_password: ['Current password is required.'] },
    });
    const wrong = await change(user.access, {
      current_password: 'not-the-Password-1',
      new_password: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: 'Invalid email or password.',
    });
    expect((await passwordLogin(user.email, PASSWORD)).status).toBe(200);
  });

  it('sets the new password, ends every other session, keeps this one and mails a notice', async () => {
    const user = await signUpWithPassword(t, uniqueEmail());
    const other = (await passwordLogin(user.email, PASSWORD)).body as { access: string };
    const res = await change(user.access, {
      current_password: PASSWORD,
      new_password: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Password changed.' });
    expect((await t.get('/api/users/me', { token: user.access })).status).toBe(200);
    expect((await t.get('/api/users/me', { token: other.access })).status).toBe(401);
    expect((await passwordLogin(user.email, PASSWORD)).status).toBe(400);
    expect((await passwordLogin(user.email, NEW_PASSWORD)).status).toBe(200);
    const notices = (await mailsTo(t, user.email)).filter((m) => m.subject === CHANGED_SUBJECT);
    expect(notices).toHaveLength(1);
  });

  it('lets exactly one of two changes at once win; the loser’s session ends with the others', async () => {
    const user = await signUpWithPassword(t, uniqueEmail());
    const other = (await passwordLogin(user.email, PASSWORD)).body as { access: string };
    const passwords = [NEW_PASSWORD, 'an0ther-Secret!pass'];
    const results = await Promise.all([
      change(user.access, { current_password: PASSWORD, new_password: passwords[0] }),
      change(other.access, { current_password: PASSWORD, new_password: passwords[1] }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const winner = results.findIndex((r) => r.status === 200);
    expect(results[1 - winner].body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await passwordLogin(user.email, passwords[winner])).status).toBe(200);
    expect((await passwordLogin(user.email, passwords[1 - winner])).status).toBe(400);
    const sessions = [user.access, other.access];
    expect((await t.get('/api/users/me', { token: sessions[winner] })).status).toBe(200);
    expect((await t.get('/api/users/me', { token: sessions[1 - winner] })).status).toBe(401);
    const notices = (await mailsTo(t, user.email)).filter((m) => m.subject === CHANGED_SUBJECT);
    expect(notices).toHaveLength(1);
  });

  it('lets a code-login account without a password set its first one', async () => {
    const user = await signInByCode(t);
    expect((await change(user.access, { new_password: NEW_PASSWORD })).status).toBe(200);
    expect((await passwordLogin(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('applies the registration policy to new_password, the email included', async () => {
    const email = uniqueEmail('policy');
    const user = await signInByCode(t, email);
    const local = email.slice(0, email.indexOf('@'));
    for (const [password, message] of [
      [local, 'Password must not be your email address.'],
      ['password123', 'This password is too common. Choose one that is harder to guess.'],
      ['short', 'Password must be at least 8 characters long.'],
    ]) {
      const res = await change(user.access, { new_password: password });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: { new_password: [message] },
      });
    }
  });

  it('counts a wrong current password as a failed password login (the lock applies)', async () => {
    const user = await signUpWithPassword(t, uniqueEmail());
    for (let i = 0; i < 3; i++) {
      const res = await change(user.access, {
        current_password: 'not-the-Password-1',
        new_password: NEW_PASSWORD,
      });
      expect(res.status).toBe(400);
    }
    expect((await passwordLogin(user.email, PASSWORD)).body.code).toBe('INVALID_CREDENTIALS');
  });
});
