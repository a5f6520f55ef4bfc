import { DataSource } from 'typeorm';
import { deactivate, PASSWORD } from './support/auth';
import { mailsTo, uniqueEmail, waitForCode, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const OTP_INVALID = {
  statusCode: 400,
  error: 'Bad Request',
  code: 'OTP_INVALID',
  message: 'OTP expired or invalid.',
};

describe('registration with a password (OTP Auth System flow)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ OTP_RESEND_SECONDS: '0', OTP_MAX_SENDS_PER_HOUR: '1000' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function userRows(email: string): Promise<number> {
    const rows: { n: number }[] = await t.app
      .get(DataSource)
      .query('SELECT count(*)::int AS n FROM users WHERE email = $1', [email]);
    return rows[0].n;
  }

  async function register(email: string, body: Record<string, unknown> = {}) {
    const before = (await mailsTo(t, email)).length;
    const res = await t.post('/api/users/register/', {
      email,
      password: PASSWORD,
      full_name: 'Asha Rao',
      ...body,
    });
    expect(res.status).toBe(200);
    return { res, otp: await waitForCode(t, email, before) };
  }

  it('stages the registration, mails a code, and creates the signed-in user on confirmation', async () => {
    const email = uniqueEmail('reg');
    const before = (await mailsTo(t, email)).length;
    const res = await t.post('/api/users/register/', {
      email: ` ${email.toUpperCase()}`,
      password: PASSWORD,
      confirm_password: PASSWORD,
      full_name: '  Asha Rao ',
      phone_number: '+919876543210',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'OTP sent to your email.' });
    const mail = await waitForMail(t, email, before);
    expect(mail.subject).toBe('Confirm your MailGuard registration');
    expect(mail.text).not.toContain('Asha');
    expect(await userRows(email)).toBe(0);

    const confirmed = await t.post('/api/users/confirm-otp/', { email, otp: mail.code });
    expect(confirmed.status).toBe(201);
    expect(confirmed.headers.get('cache-control')).toBe('no-store');
    expect(confirmed.body).toEqual({
      message: 'User registered successfully.',
      data: [
        expect.objectContaining({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          email,
          full_name: 'Asha Rao',
          mobile: '+919876543210',
          gender: null,
          is_active: true,
          is_staff: false,
          is_verified: true,
          has_password: true,
          last_login: expect.any(String),
        }),
      ],
      token: confirmed.body.access,
      access: expect.any(String),
      refresh: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
    });
    expect(JSON.stringify(confirmed.body)).not.toMatch(/argon2|password_hash/);
    expect(await userRows(email)).toBe(1);

    // The session is real, and the password signs in.
    expect(
      (await t.post('/api/users/token/refresh/', { refresh: confirmed.body.refresh })).status,
    ).toBe(200);
    const login = await t.post('/api/users/login/', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.token).toBe(login.body.access);
  });

  it('accepts verify-otp as well, without trailing slashes, and the code works once', async () => {
    const email = uniqueEmail('reg');
    const { otp } = await register(email);
    expect((await t.post('/api/users/verify-otp', { email, otp })).status).toBe(201);
    const again = await t.post('/api/users/verify-otp/', { email, otp });
    expect(again.status).toBe(400);
    expect(again.body).toEqual(OTP_INVALID);
  });

  it('refuses wrong, unknown and burned codes with one message', async () => {
    const email = uniqueEmail('reg');
    const { otp } = await register(email);
    const wrong = otp === '999999' ? '999998' : '999999';
    expect((await t.post('/api/users/confirm-otp/', { email: uniqueEmail(), otp })).body).toEqual(
      OTP_INVALID,
    );
    for (let i = 0; i < 5; i++) {
      const res = await t.post('/api/users/confirm-otp/', { email, otp: wrong });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(OTP_INVALID);
    }
    expect((await t.post('/api/users/confirm-otp/', { email, otp })).body).toEqual(OTP_INVALID);
    expect(await userRows(email)).toBe(0);
  });

  it('lets a new registration replace the previous one: the old code is dead, the new data wins', async () => {
    const email = uniqueEmail('reg');
    const first = await register(email, { password: 'first-Pa55word' });
    const second = await register(email, { password: 'second-Pa55word' });
    if (first.otp !== second.otp)
      expect((await t.post('/api/users/confirm-otp/', { email, otp: first.otp })).status).toBe(400);
    expect((await t.post('/api/users/confirm-otp/', { email, otp: second.otp })).status).toBe(201);
    expect((await t.post('/api/users/login/', { email, password: 'second-Pa55word' })).status).toBe(
      200,
    );
    expect((await t.post('/api/users/login/', { email, password: 'first-Pa55word' })).status).toBe(
      400,
    );
  });

  it('creates exactly one user when ten confirmations race; the others get the normal error', async () => {
    const email = uniqueEmail('race');
    const { otp } = await register(email);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.post('/api/users/confirm-otp/', { email, otp })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 201);
    expect(losers).toHaveLength(9);
    for (const loser of losers) expect(loser.body).toEqual(OTP_INVALID);
    expect(await userRows(email)).toBe(1);
  });

  it('answers 400 OTP_INVALID, not 500, when the email got an account before the confirmation', async () => {
    const email = uniqueEmail('late');
    const { otp } = await register(email);
    expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
    const loginCode = await waitForCode(t, email, 1);
    expect((await t.post('/api/users/login/', { email, otp: loginCode })).status).toBe(200);
    const res = await t.post('/api/users/confirm-otp/', { email, otp });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(OTP_INVALID);
    expect(await userRows(email)).toBe(1);
  });

  it('answers an existing account the same way, notifies its owner and changes nothing', async () => {
    const email = uniqueEmail('exists');
    const { otp } = await register(email);
    const created = await t.post('/api/users/confirm-otp/', { email, otp });
    const before = (await mailsTo(t, email)).length;

    const res = await t.post('/api/users/register/', {
      email,
      password: 'another-Pa55word',
      full_name: 'Somebody Else',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'OTP sent to your email.' });
    const notice = await waitForMail(t, email, before);
    expect(notice.subject).toBe('You already have a MailGuard account');
    expect(notice.code).toBeNull();
    expect(notice.text).toContain('Hello Asha Rao');

    const [row]: { full_name: string; updated_at: Date }[] = await t.app
      .get(DataSource)
      .query('SELECT full_name, updated_at FROM users WHERE email = $1', [email]);
    expect(row.full_name).toBe('Asha Rao');
    expect(new Date(row.updated_at).toISOString()).toBe(created.body.data[0].updated_at);
    expect((await t.post('/api/users/login/', { email, password: PASSWORD })).status).toBe(200);
    expect(
      (await t.post('/api/users/login/', { email, password: 'another-Pa55word' })).status,
    ).toBe(400);
  });

  it('mails nothing to the owner of an inactive account and keeps the account as it was', async () => {
    const email = uniqueEmail('inactive');
    const { otp } = await register(email);
    expect((await t.post('/api/users/confirm-otp/', { email, otp })).status).toBe(201);
    await deactivate(t, email);
    const before = (await mailsTo(t, email)).length;
    const res = await t.post('/api/users/register/', {
      email,
      password: 'another-Pa55word',
      full_name: 'Somebody Else',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'OTP sent to your email.' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mailsTo(t, email)).toHaveLength(before);
    expect(await userRows(email)).toBe(1);
  });

  it('reports every missing field at once', async () => {
    const res = await t.post('/api/users/register/', {});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'Email is required.',
      errors: {
        email: ['Email is required.'],
        password: ['Password is required.'],
        full_name: ['Full name is required.'],
      },
    });
  });

  it.each([
    ['too short', 'k3!vQ9#', 'Password must be at least 8 characters long.'],
    ['too long', 'k'.repeat(129), 'Password must be at most 128 characters long.'],
    ['common', 'Password1', 'This password is too common. Choose one that is harder to guess.'],
    ['the email', 'EMAIL', 'Password must not be your email address.'],
    ['not a string', 12345678, 'Password must be a string.'],
  ])('refuses a password that is %s, with a field error', async (_, password, message) => {
    const email = uniqueEmail('weak');
    const res = await t.post('/api/users/register/', {
      email,
      password: password === 'EMAIL' ? email.toUpperCase() : password,
      full_name: 'Asha Rao',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message,
      errors: { password: [message] },
    });
    expect(await mailsTo(t, email)).toEqual([]);
  });

  it('refuses a mismatched confirmation, a bad phone number and an over-long name', async () => {
    const email = uniqueEmail('fields');
    const res = await t.post('/api/users/register/', {
      email,
      password: PASSWORD,
      confirm_password: `${PASSWORD}x`,
      full_name: 'x'.repeat(151),
      phone_number: '12-34',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({
      confirm_password: ['Passwords do not match.'],
      full_name: ['Full name must be at most 150 characters long.'],
      phone_number: ['Enter a valid phone number: 7 to 15 digits, optionally starting with +.'],
    });
    const mismatch = await t.post('/api/users/register/', {
      email,
      password: PASSWORD,
      confirm_password: 'something-else-1',
      full_name: 'Asha Rao',
    });
    expect(mismatch.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'Passwords do not match.',
    });
    expect(await mailsTo(t, email)).toEqual([]);
  });

  it('refuses invalid and disposable addresses with INVALID_EMAIL or a field error', async () => {
    const disposable = await t.post('/api/users/register/', {
      email: 'someone@sub.mailinator.com',
      password: PASSWORD,
      full_name: 'Asha Rao',
    });
    expect(disposable.status).toBe(400);
    expect(disposable.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'INVALID_EMAIL',
      message: 'Invalid email address.',
      errors: { email: ['Disposable email addresses are not allowed.'] },
    });
    const malformed = await t.post('/api/users/register/', {
      email: 'not-an-email',
      password: PASSWORD,
      full_name: 'Asha Rao',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.email).toEqual(['Enter a valid email address.']);
  });
});
