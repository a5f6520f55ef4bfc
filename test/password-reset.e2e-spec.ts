import { deactivate, PASSWORD, signUpWithPassword, signInByCode } from './support/auth';
import { mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const NEW_PASSWORD = 'n3w-Secret!pass';
const INVALID_LOGIN = {
  statusCode: 400,
  error: 'Bad Request',
  code: 'INVALID_CREDENTIALS',
  message: 'Invalid email or password.',
};
const INVALID_RESET = {
  statusCode: 400,
  error: 'Bad Request',
  code: 'OTP_INVALID',
  message: 'Invalid or expired reset token.',
};
const RESET_REQUESTED = {
  message: 'If an account with that email exists, you will receive a reset code.',
};

describe('password login and password reset', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ OTP_RESEND_SECONDS: '0', OTP_MAX_SENDS_PER_HOUR: '1000' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function resetCode(email: string): Promise<string> {
    const before = (await mailsTo(t, email)).length;
    const res = await t.post('/api/users/forgot-password/', { email });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(RESET_REQUESTED);
    const mail = await waitForMail(t, email, before);
    expect(mail.subject).toBe('Your MailGuard password reset code');
    return mail.code!;
  }

  it('signs in with the right password', async () => {
    const { email } = await signUpWithPassword(t, uniqueEmail('pw'));
    const res = await t.post('/api/users/login/', {
      email: email.toUpperCase(),
      password: PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token: res.body.access,
      access: expect.any(String),
      refresh: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
    });
  });

  it('gives unknown, inactive, passwordless and wrong-password logins one identical 400', async () => {
    const known = await signUpWithPassword(t, uniqueEmail('pw'));
    const inactive = await signUpWithPassword(t, uniqueEmail('pw'));
    await deactivate(t, inactive.email);
    const passwordless = await signInByCode(t, uniqueEmail('pw'));
    const attempts = [
      { email: uniqueEmail('nobody'), password: PASSWORD },
      { email: inactive.email, password: PASSWORD },
      { email: passwordless.email, password: PASSWORD },
      { email: known.email, password: `${PASSWORD}x` },
      { email: known.email, password: '' },
    ];
    for (const body of attempts) {
      const res = await t.post('/api/users/login/', body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(INVALID_LOGIN);
    }
  });

  it('resets the password with the mailed code: sessions end, a notice goes out, only the new password works', async () => {
    const email = uniqueEmail('reset');
    const first = await signUpWithPassword(t, email);
    const second = await t.post('/api/users/login/', { email, password: PASSWORD });
    const otp = await resetCode(email);
    const before = (await mailsTo(t, email)).length;

    const res = await t.post('/api/users/reset-password/', {
      email,
      otp,
      new_password: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Password reset successfully.' });

    for (const session of [first, second.body]) {
      expect((await t.post('/api/users/logout/', {}, { token: session.access })).status).toBe(401);
      expect((await t.post('/api/users/token/refresh/', { refresh: session.refresh })).status).toBe(
        401,
      );
    }
    const notice = await waitForMail(t, email, before);
    expect(notice.subject).toBe('Your MailGuard password was changed');
    expect(notice.code).toBeNull();
    expect((await t.post('/api/users/login/', { email, password: PASSWORD })).body).toEqual(
      INVALID_LOGIN,
    );
    expect((await t.post('/api/users/login/', { email, password: NEW_PASSWORD })).status).toBe(200);
    // The code worked once.
    const again = await t.post('/api/users/reset-password/', {
      email,
      otp,
      new_password: PASSWORD,
    });
    expect(again.body).toEqual(INVALID_RESET);
  });

  it('accepts the code as `token` (OTP Auth System clients) and without trailing slashes', async () => {
    const { email } = await signUpWithPassword(t, uniqueEmail('reset'));
    const otp = await resetCode(email);
    const res = await t.post('/api/users/reset-password', {
      email,
      token: otp,
      new_password: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect((await t.post('/api/users/login', { email, password: NEW_PASSWORD })).status).toBe(200);
  });

  it('lets a passwordless (code login) account set a password', async () => {
    const { email } = await signInByCode(t, uniqueEmail('nopw'));
    const otp = await resetCode(email);
    expect(
      (await t.post('/api/users/reset-password/', { email, otp, new_password: NEW_PASSWORD }))
        .status,
    ).toBe(200);
    expect((await t.post('/api/users/login/', { email, password: NEW_PASSWORD })).status).toBe(200);
  });

  it('answers unknown and inactive emails the same and mails them nothing', async () => {
    const inactive = await signUpWithPassword(t, uniqueEmail('off'));
    await deactivate(t, inactive.email);
    const before = (await mailsTo(t, inactive.email)).length;
    for (const email of [uniqueEmail('nobody'), inactive.email]) {
      const res = await t.post('/api/users/forgot-password/', { email });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(RESET_REQUESTED);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mailsTo(t, inactive.email)).toHaveLength(before);
    const res = await t.post('/api/users/reset-password/', {
      email: inactive.email,
      otp: '123456',
      new_password: NEW_PASSWORD,
    });
    expect(res.body).toEqual(INVALID_RESET);
  });

  it('refuses wrong codes and login codes with one message', async () => {
    const { email } = await signUpWithPassword(t, uniqueEmail('reset'));
    const otp = await resetCode(email);
    const wrong = otp === '999999' ? '999998' : '999999';
    const res = await t.post('/api/users/reset-password/', {
      email,
      otp: wrong,
      new_password: NEW_PASSWORD,
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(INVALID_RESET);
    const loginBefore = (await mailsTo(t, email)).length;
    await t.post('/api/users/get-otp/', { email });
    const loginCode = (await waitForMail(t, email, loginBefore)).code;
    expect(
      (
        await t.post('/api/users/reset-password/', {
          email,
          otp: loginCode,
          new_password: NEW_PASSWORD,
        })
      ).body,
    ).toEqual(INVALID_RESET);
    expect((await t.post('/api/users/login/', { email, password: PASSWORD })).status).toBe(200);
  });

  it('applies the password policy to new_password and requires a code', async () => {
    const email = uniqueEmail('reset');
    const weak = await t.post('/api/users/reset-password/', {
      email,
      otp: '123456',
      new_password: 'password1',
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: {
        new_password: ['This password is too common. Choose one that is harder to guess.'],
      },
    });
    const asEmail = await t.post('/api/users/reset-password/', {
      email,
      otp: '123456',
      new_password: email,
    });
    expect(asEmail.body.errors).toEqual({
      new_password: ['Password must not be your email address.'],
    });
    const noCode = await t.post('/api/users/reset-password/', {
      email,
      new_password: NEW_PASSWORD,
    });
    expect(noCode.status).toBe(400);
    expect(noCode.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'OTP is required.',
      errors: { otp: ['OTP is required.'] },
    });
  });

  it('never returns a token from forgot-password', async () => {
    const { email } = await signUpWithPassword(t, uniqueEmail('reset'));
    const res = await t.post('/api/users/forgot-password/', { email });
    expect(Object.keys(res.body)).toEqual(['message']);
  });
});
