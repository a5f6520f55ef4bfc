import { uniqueEmail } from './support/mailbox';
import { codeIn, SmtpSink } from './support/smtp-sink';
import { createTestDatabase } from './support/database';
import { startTestApp, TestApp } from './support/test-app';
import { sleep } from './support/auth';

describe('mail delivery through a real SMTP server', () => {
  const sink = new SmtpSink();
  let t: TestApp;

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({
      ...sink.env(),
      MAIL_RETRY_BASE_MS: '200',
      MAIL_RETRY_MAX_MS: '400',
      OTP_RESEND_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('delivers the code over SMTP to the canonical address, and the code signs in', async () => {
    const email = uniqueEmail();
    expect((await t.post('/api/users/get-otp/', { email: email.toUpperCase() })).status).toBe(200);
    const [mail] = await sink.waitFor(email);
    expect(mail.raw).toMatch(/Subject: Your MailGuard sign-in code/);
    expect(mail.raw).toMatch(/From: MailGuard <no-reply@mailguard\.test>/);
    const login = await t.post('/api/users/login/', { email, otp: codeIn(mail.raw, 6) });
    expect(login.status).toBe(200);
  });

  it('has no dev mailbox with the SMTP transport', async () => {
    expect((await t.get('/dev/mailbox')).status).toBe(404);
  });

  it('answers at once while SMTP is down and delivers once it is back', async () => {
    await sink.stop();
    const email = uniqueEmail();
    const started = Date.now();
    const res = await t.post('/api/users/get-otp/', { email });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(sink.received.some((mail) => mail.to.includes(email))).toBe(false);
    await sink.start();
    const [mail] = await sink.waitFor(email, 1, 15_000);
    expect((await t.post('/api/users/login/', { email, otp: codeIn(mail.raw, 6) })).status).toBe(
      200,
    );
  });
});

interface MailCheck {
  transport?: string;
  status: string;
  backlog?: number;
  failed?: number;
}

async function mailCheck(t: TestApp): Promise<MailCheck> {
  const res = await t.get<{ checks: { mail: MailCheck } }>('/api/health/ready');
  expect(res.status).toBe(200);
  return res.body.checks.mail;
}

/** Polls readiness until the worker has settled every queued mail. */
async function waitForEmptyOutbox(t: TestApp, timeoutMs = 5000): Promise<MailCheck> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = await mailCheck(t);
    if (mail.backlog === 0) return mail;
    if (Date.now() > deadline) throw new Error(`outbox backlog still ${mail.backlog}`);
    await sleep(50);
  }
}

/** Settings that send mail to `sink` while it is stopped (its port stays known for a restart). */
async function stoppedSink(sink: SmtpSink): Promise<Record<string, string>> {
  await sink.start();
  const env = sink.env();
  await sink.stop();
  return env;
}

describe('a code mail that could not leave before its code expired', () => {
  const sink = new SmtpSink();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      ...(await stoppedSink(sink)),
      OTP_TTL_SECONDS: '1',
      OTP_RESEND_SECONDS: '0',
      MAIL_WORKER_INTERVAL_MS: '50',
      MAIL_RETRY_BASE_MS: '50',
      MAIL_RETRY_MAX_MS: '100',
      // Keeps retrying all along, so "not delivered" cannot come from giving up.
      MAIL_MAX_ATTEMPTS: '100',
    });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('is dropped once SMTP is back, never sent stale', async () => {
    const stale = uniqueEmail('stale');
    const requested = Date.now();
    expect((await t.post('/api/users/get-otp/', { email: stale })).status).toBe(200);
    expect((await mailCheck(t)).backlog).toBeGreaterThanOrEqual(1);
    // Past the 1 s code lifetime, plus a retry round, with the server still down.
    await sleep(requested + 1000 + 300 - Date.now());
    await sink.start(sink.port);

    // A fresh code shows the worker delivers again; the stale one is due long before it.
    const fresh = uniqueEmail('fresh');
    expect((await t.post('/api/users/get-otp/', { email: fresh })).status).toBe(200);
    await sink.waitFor(fresh, 1, 5000);
    const settled = await waitForEmptyOutbox(t);
    await sleep(300);

    expect(sink.received.filter((mail) => mail.to.includes(stale))).toEqual([]);
    expect(settled.failed).toBe(0);
  });
});

describe('a mail queued while SMTP is down', () => {
  it('is delivered by a new instance on the same database after the first closed', async () => {
    const sink = new SmtpSink();
    const env = {
      ...(await stoppedSink(sink)),
      MAIL_RETRY_BASE_MS: '100',
      MAIL_RETRY_MAX_MS: '200',
      MAIL_MAX_ATTEMPTS: '100',
    };
    const db = await createTestDatabase();
    try {
      const email = uniqueEmail('durable');
      const first = await startTestApp(env, db);
      try {
        expect((await first.post('/api/users/get-otp/', { email })).status).toBe(200);
        expect((await mailCheck(first)).backlog).toBeGreaterThanOrEqual(1);
      } finally {
        await first.close();
      }

      await sink.start(sink.port);
      await sleep(300);
      expect(sink.received).toEqual([]);

      const second = await startTestApp(env, db);
      try {
        const mails = await sink.waitFor(email, 1, 10_000);
        expect(mails).toHaveLength(1);
        const otp = codeIn(mails[0].raw, 6);
        // The code itself lives in the cache store, which outlives an instance only with Redis.
        if (process.env.REDIS_URL) {
          expect((await second.post('/api/users/login/', { email, otp })).status).toBe(200);
        }
      } finally {
        await second.close();
      }
    } finally {
      await sink.stop();
      await db.drop();
    }
  });
});

describe('readiness while SMTP is down', () => {
  const sink = new SmtpSink();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ...(await stoppedSink(sink)), OTP_RESEND_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('stays ready and reports the SMTP transport and the queued mail', async () => {
    expect((await t.post('/api/users/get-otp/', { email: uniqueEmail() })).status).toBe(200);
    const res = await t.get('/api/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.database).toMatchObject({ status: 'up' });
    expect(res.body.checks.cache).toEqual({ status: 'up' });
    expect(res.body.checks.mail).toMatchObject({ transport: 'smtp', status: 'down' });
    expect(res.body.checks.mail.backlog).toBeGreaterThanOrEqual(1);
  });
});

describe('SMTP authentication with the Django variables', () => {
  const sink = new SmtpSink({ auth: true });
  const credentials = { username: 'mailer@mailguard.test', password: 'p@ss w0rd:%&"x' };
  let t: TestApp;

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({
      ...sink.env(),
      EMAIL_HOST_USER: credentials.username,
      EMAIL_HOST_PASSWORD: credentials.password,
    });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('signs in to the SMTP server with EMAIL_HOST_USER and EMAIL_HOST_PASSWORD', async () => {
    const email = uniqueEmail();
    expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
    const [mail] = await sink.waitFor(email);
    expect(mail.user).toBe(credentials.username);
    expect(sink.logins.length).toBeGreaterThanOrEqual(1);
    expect(sink.logins).toEqual(sink.logins.map(() => credentials));
  });
});
