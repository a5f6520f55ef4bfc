import { Logger } from '@nestjs/common';
import { FakeMailboxlayer } from './support/fake-mailboxlayer';
import { PASSWORD } from './support/auth';
import { mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const API_KEY = 'test-mailboxlayer-key-0123456789';

function refused(reason: string) {
  return {
    statusCode: 400,
    error: 'Bad Request',
    code: 'INVALID_EMAIL',
    message: 'Invalid email address.',
    errors: { email: [reason] },
  };
}

describe('email validation with Mailboxlayer', () => {
  const provider = new FakeMailboxlayer();
  let open: TestApp;
  let closed: TestApp;

  beforeAll(async () => {
    await provider.start();
    const env = {
      MAILBOXLAYER_URL: provider.url,
      MAILBOXLAYER_API_KEY: API_KEY,
      MAILBOXLAYER_TIMEOUT_MS: '300',
      OTP_RESEND_SECONDS: '0',
      OTP_MAX_SENDS_PER_HOUR: '1000',
    };
    open = await startTestApp(env);
    closed = await startTestApp({
      ...env,
      EMAIL_VALIDATION_FAIL_OPEN: 'false',
      MAILBOXLAYER_REJECT_SMTP_FAIL: 'false',
    });
  });
  afterAll(async () => {
    await open.close();
    await closed.close();
    await provider.stop();
  });

  const register = (t: TestApp, email: string) =>
    t.post('/api/users/register/', { email, password: PASSWORD, full_name: 'Asha Rao' });

  it('accepts a valid address after asking with access_key, email, smtp=1 and format=1', async () => {
    const email = uniqueEmail('valid');
    const res = await register(open, email.toUpperCase());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'OTP sent to your email.' });
    expect((await waitForMail(open, email)).code).toMatch(/^\d{6}$/);
    const [request] = provider.requestsFor(email);
    expect(Object.fromEntries(request)).toEqual({
      access_key: API_KEY,
      email,
      smtp: '1',
      format: '1',
    });
  });

  it.each([
    ['nosmtp', 'This mailbox does not exist or does not accept mail.'],
    ['nomx', 'The email domain cannot receive mail.'],
    ['dispo', 'Disposable email addresses are not allowed.'],
  ])('refuses %s addresses with 400 INVALID_EMAIL and sends nothing', async (kind, reason) => {
    const email = uniqueEmail(kind);
    const res = await register(open, email);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(refused(reason));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await mailsTo(open, email)).toEqual([]);
  });

  it('caches verdicts: a second registration of the same email asks nothing', async () => {
    const valid = uniqueEmail('valid');
    const noSmtp = uniqueEmail('nosmtp');
    for (let i = 0; i < 2; i++) {
      expect((await register(open, valid)).status).toBe(200);
      expect((await register(open, noSmtp)).status).toBe(400);
    }
    expect(provider.requestsFor(valid)).toHaveLength(1);
    expect(provider.requestsFor(noSmtp)).toHaveLength(1);
  });

  it('checks the disposable-domain list before spending a Mailboxlayer request', async () => {
    const email = `someone.${Date.now()}@mailinator.com`;
    expect((await register(open, email)).body).toEqual(
      refused('Disposable email addresses are not allowed.'),
    );
    expect(provider.requestsFor(email)).toHaveLength(0);
  });

  it('fails open by default: provider errors, HTTP failures and silence accept the address', async () => {
    const logged = captureLogs();
    try {
      for (const kind of ['error', 'broken', 'hang']) {
        const email = uniqueEmail(kind);
        const started = Date.now();
        const res = await register(open, email);
        expect(res.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(2000);
        expect((await waitForMail(open, email)).code).toMatch(/^\d{6}$/);
      }
    } finally {
      logged.restore();
    }
    expect(logged.text()).toMatch(/Mailboxlayer failed with error 101 invalid_access_key/);
    expect(logged.text()).toMatch(/Mailboxlayer failed with a timeout/);
    expect(logged.text()).not.toContain(API_KEY);
  });

  it('does not cache provider failures', async () => {
    const email = uniqueEmail('error');
    await register(open, email);
    await register(open, email);
    expect(provider.requestsFor(email)).toHaveLength(2);
  });

  it('fails closed with EMAIL_VALIDATION_FAIL_OPEN=false', async () => {
    const unverifiable = refused(
      'The email address could not be verified right now. Try again later.',
    );
    for (const kind of ['error', 'broken', 'hang']) {
      const res = await register(closed, uniqueEmail(kind));
      expect(res.status).toBe(400);
      expect(res.body).toEqual(unverifiable);
    }
    expect((await register(closed, uniqueEmail('valid'))).status).toBe(200);
  });

  it('lets each rule be switched off (MAILBOXLAYER_REJECT_SMTP_FAIL=false)', async () => {
    expect((await register(closed, uniqueEmail('nosmtp'))).status).toBe(200);
    expect((await register(closed, uniqueEmail('nomx'))).status).toBe(400);
  });
});

/** Collects what the app hands its loggers (the testing logger itself prints only errors). */
function captureLogs() {
  const calls: unknown[][] = [];
  const spies = (['log', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      calls.push(args);
    }),
  );
  return {
    text: () => JSON.stringify(calls),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
