import { BREACHED_PASSWORD } from '../src/auth/breached-passwords.service';
import { FakePwnedRanges, unreachableUrl } from './support/fake-pwned-ranges';
import { mailsTo, uniqueEmail, waitForCode } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const BREACHED = 'Summer-2019-breach!';
const PADDED = 'Padded-only-2026!x';
const FRESH = 'k3!vQ9#zLm-2026';

function refusal(field: string) {
  return {
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message: BREACHED_PASSWORD,
    errors: { [field]: [BREACHED_PASSWORD] },
  };
}

function register(t: TestApp, email: string, password: string) {
  return t.post('/api/users/register/', { email, password, full_name: 'Pat Doe' });
}

describe('breached passwords (Have I Been Pwned range API)', () => {
  const ranges = new FakePwnedRanges([BREACHED], [PADDED]);
  let t: TestApp;

  beforeAll(async () => {
    await ranges.start();
    t = await startTestApp({
      PASSWORD_BREACH_CHECK: 'true',
      HIBP_URL: ranges.url,
      OTP_RESEND_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    await ranges.stop();
  });

  it('refuses a breached password at registration, sending only a 5-digit prefix, padded', async () => {
    const email = uniqueEmail();
    const res = await register(t, email, BREACHED);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(refusal('password'));
    expect(await mailsTo(t, email)).toHaveLength(0);
    const [request] = ranges.requests;
    expect(request.path).toMatch(/^\/range\/[0-9A-F]{5}$/);
    expect(request.headers['add-padding']).toBe('true');
  });

  it('accepts a password that appears only as a padding line (count 0)', async () => {
    expect((await register(t, uniqueEmail(), PADDED)).status).toBe(200);
  });

  it('keeps ranges in the shared cache: the same prefix is asked once', async () => {
    const asked = ranges.requests.length;
    expect((await register(t, uniqueEmail(), BREACHED)).status).toBe(400);
    expect(ranges.requests).toHaveLength(asked);
  });

  it('refuses a breached new_password at reset without using up the code', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    const otp = await waitForCode(t, email);
    expect((await t.post('/api/users/login/', { email, otp })).status).toBe(200);
    const sent = (await mailsTo(t, email)).length;
    await t.post('/api/users/forgot-password/', { email });
    const code = await waitForCode(t, email, sent);
    const refused = await t.post('/api/users/reset-password/', {
      email,
      otp: code,
      new_password: BREACHED,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject(refusal('new_password'));
    const reset = await t.post('/api/users/reset-password/', {
      email,
      otp: code,
      new_password: FRESH,
    });
    expect(reset.status).toBe(200);
  });

  it('refuses a breached new_password when a signed-in user changes it', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    const otp = await waitForCode(t, email);
    const { access } = (await t.post('/api/users/login/', { email, otp })).body as {
      access: string;
    };
    const res = await t.post(
      '/api/users/me/password',
      { new_password: BREACHED },
      { token: access },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(refusal('new_password'));
  });
});

describe('breached passwords when the range API fails', () => {
  const ranges = new FakePwnedRanges([BREACHED]);

  beforeAll(() => ranges.start());
  afterAll(() => ranges.stop());

  it('accepts the password on a 500, and stops asking for a while after 3 failures in a row', async () => {
    ranges.mode = 'error';
    const t = await startTestApp({ PASSWORD_BREACH_CHECK: 'true', HIBP_URL: ranges.url });
    try {
      for (let i = 0; i < 4; i++)
        expect((await register(t, uniqueEmail(), BREACHED)).status).toBe(200);
      expect(ranges.requests).toHaveLength(3);
      // The common-password list still applies while the API is skipped.
      expect((await register(t, uniqueEmail(), 'password123')).status).toBe(400);
    } finally {
      await t.close();
    }
  });

  it('gives up on a slow answer after 2 seconds and accepts the password', async () => {
    ranges.mode = 'slow';
    const t = await startTestApp({ PASSWORD_BREACH_CHECK: 'true', HIBP_URL: ranges.url });
    try {
      const started = Date.now();
      expect((await register(t, uniqueEmail(), BREACHED)).status).toBe(200);
      // The fake answers after 10 s; the service waited for its own 2-second limit only.
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      await t.close();
    }
  });

  it('accepts the password when nothing listens at HIBP_URL', async () => {
    const t = await startTestApp({
      PASSWORD_BREACH_CHECK: 'true',
      HIBP_URL: await unreachableUrl(),
    });
    try {
      expect((await register(t, uniqueEmail(), BREACHED)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
