import { uniqueEmail } from './support/mailbox';
import { codeIn, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

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
