import { uniqueEmail } from './support/mailbox';
import { codeIn, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const PASSWORD = 'k3!vQ9#zLm-2026';
const NEW_PASSWORD = 'n3w-Secret!pass';

const codeOf = (raw: string) => codeIn(raw, 6);

describe('OTP Auth System client flow through real SMTP', () => {
  const sink = new SmtpSink();
  let t: TestApp;

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({
      ...sink.env(),
      MAIL_WORKER_INTERVAL_MS: '100',
      OTP_RESEND_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const mailCount = (email: string) =>
    sink.received.filter((mail) => mail.to.includes(email)).length;

  /** The first mail to `email` after the first `count`, with this subject. */
  async function mailAfter(email: string, count: number, subject: RegExp): Promise<string> {
    const mails = await sink.waitFor(email, count + 1);
    const raw = mails[count].raw;
    expect(raw).toMatch(subject);
    return raw;
  }

  async function registerAndConfirm(email: string) {
    const count = mailCount(email);
    const registered = await t.post('/api/users/register/', {
      email,
      password: PASSWORD,
      full_name: 'Rahul Chavda',
    });
    expect(registered.status).toBe(200);
    expect(registered.body).toEqual({ message: 'OTP sent to your email.' });
    const mail = await mailAfter(email, count, /Subject: Confirm your MailGuard registration/);
    const confirmed = await t.post('/api/users/confirm-otp/', { email, otp: codeOf(mail) });
    expect(confirmed.status).toBe(201);
    return confirmed;
  }

  it('register → confirm → password login → refresh → logout', async () => {
    const email = uniqueEmail('flow');
    const confirmed = await registerAndConfirm(email);
    expect(confirmed.body).toMatchObject({
      message: 'User registered successfully.',
      data: [{ email, full_name: 'Rahul Chavda', is_verified: true, has_password: true }],
      token_type: 'Bearer',
    });
    expect(confirmed.body.token).toBe(confirmed.body.access);

    const login = await t.post('/api/users/login/', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(Object.keys(login.body).sort()).toEqual(
      ['access', 'expires_in', 'refresh', 'token', 'token_type'].sort(),
    );

    const refreshed = await t.post('/api/users/token/refresh/', { refresh: login.body.refresh });
    expect(refreshed.status).toBe(200);
    const { access, refresh } = refreshed.body;

    const logout = await t.post(
      '/api/users/logout/',
      { refresh_token: refresh },
      { token: access },
    );
    expect(logout.status).toBe(200);
    expect(logout.body).toEqual({ detail: 'Successfully logged out.' });
    const reused = await t.post('/api/users/token/refresh/', { refresh });
    expect(reused.status).toBe(401);
    expect(reused.body).toMatchObject({ message: 'Invalid or expired refresh token.' });
    expect((await t.post('/api/users/logout/', {}, { token: access })).status).toBe(401);
  });

  it('forgot → reset: old sessions end, a notice arrives, only the new password works', async () => {
    const email = uniqueEmail('forgot');
    const confirmed = await registerAndConfirm(email);
    const login = await t.post('/api/users/login/', { email, password: PASSWORD });

    const beforeReset = mailCount(email);
    const forgot = await t.post('/api/users/forgot-password/', { email });
    expect(forgot.status).toBe(200);
    expect(forgot.body).toEqual({
      message: 'If an account with that email exists, you will receive a reset code.',
    });
    const otp = codeOf(
      await mailAfter(email, beforeReset, /Subject: Your MailGuard password reset code/),
    );

    const beforeNotice = mailCount(email);
    const reset = await t.post('/api/users/reset-password/', {
      email,
      otp,
      new_password: NEW_PASSWORD,
    });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ message: 'Password reset successfully.' });
    await mailAfter(email, beforeNotice, /Subject: Your MailGuard password was changed/);

    for (const session of [confirmed.body, login.body]) {
      expect((await t.post('/api/users/token/refresh/', { refresh: session.refresh })).status).toBe(
        401,
      );
      expect((await t.post('/api/users/logout/', {}, { token: session.access })).status).toBe(401);
    }
    expect((await t.post('/api/users/login/', { email, password: PASSWORD })).status).toBe(400);
    expect((await t.post('/api/users/login/', { email, password: NEW_PASSWORD })).status).toBe(200);
  });

  it('answers a registration of an existing email the same way and mails its owner a notice', async () => {
    const email = uniqueEmail('again');
    await registerAndConfirm(email);
    const count = mailCount(email);
    const again = await t.post('/api/users/register/', {
      email,
      password: NEW_PASSWORD,
      full_name: 'Someone Else',
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ message: 'OTP sent to your email.' });
    const notice = await mailAfter(email, count, /Subject: You already have a MailGuard account/);
    expect(notice).not.toMatch(/^\d{6}\r?$/m);
    expect((await t.post('/api/users/login/', { email, password: PASSWORD })).status).toBe(200);
    expect((await t.post('/api/users/login/', { email, password: NEW_PASSWORD })).status).toBe(400);
  });
});
