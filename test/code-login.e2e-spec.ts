import { signInByCode, signUpWithPassword, sleep } from './support/auth';
import { mailsTo, uniqueEmail, waitForCode, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/** Email one-time codes: asking for one, logging in with it, and the limits on both. */

/** Every failed code login, whatever the cause (API.md: identical for every cause). */
const INVALID_CODE = {
  statusCode: 400,
  error: 'Bad Request',
  code: 'INVALID_CREDENTIALS',
  message: 'Invalid OTP or email.',
};

describe('email code login (MailGuard flow)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ OTP_RESEND_SECONDS: '0', OTP_MAX_SENDS_PER_HOUR: '1000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends a code and logs in with it, creating the account at first login', async () => {
    const email = uniqueEmail();
    const sent = await t.post('/api/users/get-otp/', { email: `  ${email.toUpperCase()} ` });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ message: 'OTP sent to email.' });

    const mail = await waitForMail(t, email);
    expect(mail.subject).toMatch(/sign-in code/);
    expect(mail.code).toMatch(/^\d{6}$/);

    const login = await t.post('/api/users/login/', { email, otp: mail.code });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    expect(login.body).toEqual({
      token: expect.any(String),
      access: expect.any(String),
      refresh: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
    });
    expect(login.body.token).toBe(login.body.access);
  });

  it('accepts the trailing-slash-free path and an OTP sent as a JSON number of the right length', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp', { email });
    const code = await waitForCode(t, email);
    const asNumber = Number(code);
    const res = await t.post('/api/users/login', {
      email,
      otp: code.startsWith('0') ? code : asNumber,
    });
    expect(res.status).toBe(200);
  });

  it('refuses an OTP sent as a JSON number with the wrong number of digits', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    const code = await waitForCode(t, email);
    const res = await t.post('/api/users/login/', { email, otp: Number(`${code}1`) });
    expect(res.status).toBe(400);
    expect((await t.post('/api/users/login/', { email, otp: code })).status).toBe(200);
  });

  it('refuses a wrong, reused or cross-purpose code with one message', async () => {
    const { email } = await signInByCode(t);
    const expected = INVALID_CODE;
    const reused = await t.post('/api/users/login/', { email, otp: '000000' });
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual(expected);
    const unknown = await t.post('/api/users/login/', { email: uniqueEmail(), otp: '123456' });
    expect(unknown.body).toEqual(expected);
  });

  it('validates get-otp input with the common error shape', async () => {
    const missing = await t.post('/api/users/get-otp/', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'Email is required.',
      errors: { email: ['Email is required.'] },
    });
    const invalid = await t.post('/api/users/get-otp/', { email: 'not-an-email' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'INVALID_EMAIL',
      message: 'Invalid email address.',
      errors: { email: ['Enter a valid email address.'] },
    });
    const array = await t.post('/api/users/get-otp/', { email: ['a@example.com'] });
    expect(array.status).toBe(400);
    const extra = await t.post('/api/users/get-otp/', { email: uniqueEmail(), admin: true });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toEqual({ admin: ['This field is not allowed.'] });
    const object = await t.post('/api/users/login/', { email: uniqueEmail(), otp: { $gt: '' } });
    expect(object.status).toBe(400);
    expect(object.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers non-JSON bodies with 415 and malformed JSON with 400, in the common shape', async () => {
    const text = await t.post('/api/users/get-otp/', undefined, {
      raw: 'email=a@b.co',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    const plain = await t.post('/api/users/get-otp/', undefined, {
      raw: 'a@b.co',
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    const broken = await t.post('/api/users/get-otp/', undefined, {
      raw: '{"email":',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'Request body is not valid JSON.',
    });
    const big = await t.post('/api/users/get-otp/', {
      email: 'a@example.com',
      pad: 'x'.repeat(17 * 1024),
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    // Just under 16 KiB is read and validated (the unknown field is refused), not cut off.
    const underLimit = await t.post('/api/users/get-otp/', {
      email: 'a@example.com',
      pad: 'x'.repeat(15.5 * 1024),
    });
    expect(underLimit.status).toBe(400);
    expect(underLimit.body.errors).toEqual({ pad: ['This field is not allowed.'] });
  });

  it('lets exactly one of 20 parallel submissions of the right code through', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    const otp = await waitForCode(t, email);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.post('/api/users/login/', { email, otp })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(19);
  });

  it('evaluates at most OTP_MAX_ATTEMPTS of 50 parallel wrong guesses; then even the right code fails', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    const otp = await waitForCode(t, email);
    const wrong = otp === '999999' ? '999998' : '999999';
    const guesses = await Promise.all(
      Array.from({ length: 50 }, () => t.post('/api/users/login/', { email, otp: wrong })),
    );
    expect(guesses.every((r) => r.status === 400)).toBe(true);
    expect((await t.post('/api/users/login/', { email, otp })).body).toEqual(INVALID_CODE);
  });

  it('still accepts the right code after fewer wrong guesses than the cap', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    const otp = await waitForCode(t, email);
    const wrong = otp === '999999' ? '999998' : '999999';
    for (let i = 0; i < 4; i++)
      expect((await t.post('/api/users/login/', { email, otp: wrong })).status).toBe(400);
    expect((await t.post('/api/users/login/', { email, otp })).status).toBe(200);
  });

  it('replaces the previous code with a new one', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    const first = await waitForCode(t, email);
    await t.post('/api/users/get-otp/', { email });
    const second = await waitForCode(t, email, 1);
    if (first !== second)
      expect((await t.post('/api/users/login/', { email, otp: first })).status).toBe(400);
    expect((await t.post('/api/users/login/', { email, otp: second })).status).toBe(200);
  });
});

describe('email code limits and expiry', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ OTP_TTL_SECONDS: '1', OTP_LENGTH: '4' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps leading zeros and the configured length (4 like the original MailGuard)', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    expect(await waitForCode(t, email)).toMatch(/^\d{4}$/);
  });

  it('refuses a code after OTP_TTL_SECONDS', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    const otp = await waitForCode(t, email);
    await sleep(1200);
    expect((await t.post('/api/users/login/', { email, otp })).body).toEqual(INVALID_CODE);
  });

  it('answers a second request within the cooldown with 429 and Retry-After, for unknown emails too', async () => {
    for (const email of [uniqueEmail('known'), uniqueEmail('unknown')]) {
      expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
      const again = await t.post('/api/users/get-otp/', { email });
      expect(again.status).toBe(429);
      expect(again.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
      expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(50);
    }
  });
});

describe('code sign-up switched off (OTP_SIGNUP=false)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ OTP_SIGNUP: 'false', OTP_RESEND_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers an unknown email as usual but mails nothing, and no code signs it up', async () => {
    const email = uniqueEmail('stranger');
    const sent = await t.post('/api/users/get-otp/', { email });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ message: 'OTP sent to email.' });
    await sleep(500);
    expect(await mailsTo(t, email)).toEqual([]);
    expect((await t.post('/api/users/login/', { email, otp: '123456' })).body).toEqual(
      INVALID_CODE,
    );
  });

  it('still mails a code to an existing account', async () => {
    const { email } = await signUpWithPassword(t, uniqueEmail('member'));
    const before = (await mailsTo(t, email)).length;
    expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
    const otp = await waitForCode(t, email, before);
    expect((await t.post('/api/users/login/', { email, otp })).status).toBe(200);
  });
});
