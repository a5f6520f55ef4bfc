import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signUpWithPassword } from './support/auth';
import { FakeMailboxlayer } from './support/fake-mailboxlayer';
import { mailsTo, uniqueEmail, waitForCode } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

interface LogLine {
  level: number;
  msg?: string;
  event?: string;
  userId?: string;
  req?: { id: string };
  res?: { statusCode: number };
  reqId?: string;
  [key: string]: unknown;
}

describe('logs, metrics and readiness', () => {
  const logFile = join(mkdtempSync(join(tmpdir(), 'mailguard-logs-')), 'app.log');
  const mailboxlayer = new FakeMailboxlayer();
  const apiKey = 'mbl-key-0123456789abcdef';
  const smtpPassword = 'smtp-pass-fedcba9876543210';
  const secrets: string[] = [apiKey, smtpPassword];
  let t: TestApp;

  beforeAll(async () => {
    await mailboxlayer.start();
    t = await startTestApp({
      LOG_FILE: logFile,
      LOG_LEVEL: 'trace',
      METRICS_ENABLED: 'true',
      OTP_RESEND_SECONDS: '0',
      MAILBOXLAYER_API_KEY: apiKey,
      MAILBOXLAYER_URL: mailboxlayer.url,
      // Configured but unused (outbox transport): it must not surface in any log line either.
      EMAIL_HOST: '127.0.0.1',
      EMAIL_HOST_USER: 'mailer',
      EMAIL_HOST_PASSWORD: smtpPassword,
      MAIL_TRANSPORT: 'outbox',
    });
  });
  afterAll(async () => {
    await t.close();
    await mailboxlayer.stop();
  });

  const readLog = (): LogLine[] =>
    readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as LogLine);

  async function waitForLog(predicate: (line: LogLine) => boolean): Promise<LogLine[]> {
    for (let i = 0; i < 100; i++) {
      const lines = readLog();
      if (lines.some(predicate)) return lines;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('log line never appeared');
  }

  it('logs a full sign-in flow as JSON with request ids and auth events, and no secret at all', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    const otp = await waitForCode(t, email);
    secrets.push(otp);
    await t.post('/api/users/login/', { email, otp: '000000' === otp ? '000001' : '000000' });
    const login = await t.post(
      '/api/users/login/',
      { email, otp },
      { headers: { 'x-request-id': 'trace-me-123' } },
    );
    expect(login.status).toBe(200);
    expect(login.headers.get('x-request-id')).toBe('trace-me-123');
    secrets.push(login.body.access, login.body.refresh);
    const refreshed = await t.post('/api/users/token/refresh/', { refresh: login.body.refresh });
    secrets.push(refreshed.body.access, refreshed.body.refresh);
    await t.post('/api/users/login/', { email, password: 'Sup3r-Secret-Passw0rd!' });
    secrets.push('Sup3r-Secret-Passw0rd!');
    expect(
      (
        await t.post(
          '/api/users/logout/',
          { refresh_token: refreshed.body.refresh },
          { token: refreshed.body.access },
        )
      ).status,
    ).toBe(200);

    // Registration with a password (checked by Mailboxlayer), then a password reset.
    const member = uniqueEmail('member');
    const password = 'Regist3r-Passw0rd-2026!';
    const account = await signUpWithPassword(t, member, password);
    const codes = (await mailsTo(t, member)).flatMap((mail) => (mail.code ? [mail.code] : []));
    secrets.push(password, account.access, account.refresh, ...codes);
    expect(mailboxlayer.requestsFor(member)).toHaveLength(1);
    const before = (await mailsTo(t, member)).length;
    await t.post('/api/users/forgot-password/', { email: member });
    const resetCode = await waitForCode(t, member, before);
    const newPassword = 'N3w-Reset-Passw0rd-2026!';
    secrets.push(resetCode, newPassword);
    const reset = await t.post('/api/users/reset-password/', {
      email: member,
      otp: resetCode,
      new_password: newPassword,
    });
    expect(reset.status).toBe(200);

    const lines = await waitForLog((line) => line.event === 'password_reset');
    const text = readFileSync(logFile, 'utf8');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Bearer\s+ey/);

    const success = lines.find((line) => line.event === 'login_success');
    expect(success).toMatchObject({
      method: 'otp',
      userId: expect.any(String),
      ip: expect.any(String),
    });
    expect(lines.some((line) => line.event === 'login_failure' && line.method === 'password')).toBe(
      true,
    );
    expect(lines.some((line) => line.event === 'code_failed')).toBe(true);
    expect(lines.some((line) => line.event === 'code_sent')).toBe(true);
    expect(lines.find((line) => line.event === 'logout')).toMatchObject({
      scope: 'local',
      sessions: 1,
    });
    // Every line a request writes carries its id.
    const traced = lines.filter((line) => line.req?.id === 'trace-me-123');
    expect(traced.length).toBeGreaterThanOrEqual(2);
    expect(traced.some((line) => line.event === 'login_success')).toBe(true);
  });

  it('names the request on its lines when its body arrives after its headers', async () => {
    const email = uniqueEmail('split');
    const body = JSON.stringify({ email });
    const { port } = new URL(t.baseUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString();
        if (received.includes('\r\n\r\n')) socket.end();
      });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.write(
        'POST /api/users/get-otp/ HTTP/1.1\r\nHost: localhost\r\n' +
          'Content-Type: application/json\r\nX-Request-Id: split-body-7\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
      // The body comes in a later read, after the hooks that start the request have run.
      setTimeout(() => socket.write(body), 100);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    await waitForLog((line) => line.event === 'code_sent' && line.req?.id === 'split-body-7');
    // The access line is written once the answer has gone out, which may be after the client read it.
    await waitForLog((line) => line.req?.id === 'split-body-7' && line.res?.statusCode === 200);
  });

  it('serves Prometheus metrics when METRICS_ENABLED=true', async () => {
    const res = await t.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toMatch(
      /mailguard_http_requests_total\{method="POST",route="\/api\/users\/login",status="200"\} \d+/,
    );
    expect(res.text).toMatch(/mailguard_logins_total\{method="otp",outcome="success"\} [1-9]/);
    expect(res.text).toMatch(/mailguard_otp_codes_total\{purpose="login",outcome="sent"\} [1-9]/);
    expect(res.text).toMatch(/mailguard_otp_codes_total\{purpose="login",outcome="failed"\} [1-9]/);
    expect(res.text).toMatch(/mailguard_mail_outbox_depth\{status="pending"\} \d+/);
    expect(res.text).toMatch(/mailguard_mail_deliveries_total\{outcome="sent"\} [1-9]/);
  });

  it('reports the mail transport and backlog in readiness', async () => {
    const res = await t.get('/api/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.checks.mail).toEqual({
      transport: 'outbox',
      status: 'up',
      backlog: expect.any(Number),
      failed: 0,
    });
  });
});

describe('metrics switched off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('has no /metrics', async () => {
    expect((await t.get('/metrics')).status).toBe(404);
  });
});
