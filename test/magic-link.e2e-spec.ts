import { deactivate, signInByCode } from './support/auth';
import { mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const FRONTEND = 'https://app.example.com/auth/magic?from=mail';
const INVALID_LINK = { code: 'OTP_INVALID', message: 'Invalid or expired link.' };

/** The token of the link in a login-code mail, read from its text like a person clicking it. */
function linkTokenOf(text: string | null): string {
  const match = /https:\/\/app\.example\.com\/auth\/magic\?from=mail&token=([A-Za-z0-9_-]+)/.exec(
    text ?? '',
  );
  if (!match) throw new Error(`no magic link in: ${text}`);
  return match[1];
}

describe('magic link beside the code (POST /api/users/magic-link/verify)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ MAGIC_LINK_URL: FRONTEND, OTP_RESEND_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  async function requestMail(email: string) {
    const before = (await mailsTo(t, email)).length;
    expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
    const mail = await waitForMail(t, email, before);
    return { code: mail.code!, token: linkTokenOf(mail.text) };
  }

  const verify = (token: unknown) => t.post('/api/users/magic-link/verify', { token });

  it('mails a link of 256 random bits beside the code and signs in like a code login', async () => {
    const email = uniqueEmail('magic');
    const { code, token } = await requestMail(email);
    expect(code).toMatch(/^\d{6}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const res = await verify(token);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object).sort()).toEqual(
      ['access', 'expires_in', 'refresh', 'token', 'token_type'].sort(),
    );
    expect(res.headers.get('cache-control')).toContain('no-store');
    const me = await t.get('/api/users/me', { token: res.body.access });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, is_verified: true });
    const refreshed = await t.post('/api/users/token/refresh/', { refresh: res.body.refresh });
    expect(refreshed.status).toBe(200);
  });

  it('works once, and burns the code with it', async () => {
    const email = uniqueEmail('magic');
    const { code, token } = await requestMail(email);
    expect((await verify(token)).status).toBe(200);
    const again = await verify(token);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject(INVALID_LINK);
    expect((await t.post('/api/users/login/', { email, otp: code })).status).toBe(400);
  });

  it('is burned by using the code', async () => {
    const email = uniqueEmail('magic');
    const { code, token } = await requestMail(email);
    expect((await t.post('/api/users/login/', { email, otp: code })).status).toBe(200);
    expect((await verify(token)).body).toMatchObject(INVALID_LINK);
  });

  it('dies when a new code replaces its code', async () => {
    const email = uniqueEmail('magic');
    const first = await requestMail(email);
    const second = await requestMail(email);
    expect((await verify(first.token)).status).toBe(400);
    expect((await verify(second.token)).status).toBe(200);
  });

  it('dies with its code after OTP_MAX_ATTEMPTS wrong codes', async () => {
    const email = uniqueEmail('magic');
    const { code, token } = await requestMail(email);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++)
      expect((await t.post('/api/users/login/', { email, otp: wrong })).status).toBe(400);
    expect((await verify(token)).body).toMatchObject(INVALID_LINK);
  });

  it('refuses unknown and malformed tokens with one answer', async () => {
    const res = await verify('A'.repeat(43));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(INVALID_LINK);
    expect((await verify(12345)).status).toBe(400);
    expect((await verify('')).status).toBe(400);
  });

  it('never signs in an account deactivated after the mail went out', async () => {
    const email = uniqueEmail('magic');
    await signInByCode(t, email);
    const { token } = await requestMail(email);
    await deactivate(t, email);
    expect((await verify(token)).body).toMatchObject(INVALID_LINK);
  });

  it('lets exactly one of a link and the code, used at once, sign in', async () => {
    const email = uniqueEmail('magic');
    const { code, token } = await requestMail(email);
    const results = await Promise.all([
      verify(token),
      t.post('/api/users/login/', { email, otp: code }),
      verify(token),
      t.post('/api/users/login/', { email, otp: code }),
    ]);
    expect(results.filter((res) => res.status === 200)).toHaveLength(1);
  });

  it('a GET of the verify route consumes nothing', async () => {
    const email = uniqueEmail('magic');
    const { token } = await requestMail(email);
    const get = await t.get(`/api/users/magic-link/verify?token=${token}`);
    expect(get.status).toBe(404);
    expect((await verify(token)).status).toBe(200);
  });
});

describe('without MAGIC_LINK_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('mails the code alone', async () => {
    const email = uniqueEmail('nolink');
    expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
    const mail = await waitForMail(t, email);
    expect(mail.code).toMatch(/^\d{6}$/);
    expect(mail.text).not.toContain('token=');
  });
});
