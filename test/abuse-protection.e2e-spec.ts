import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

describe('per-IP limits, X-Forwarded-For not trusted', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_SEND_PER_MINUTE: '3',
      RATE_LIMIT_VERIFY_PER_MINUTE: '4',
      RATE_LIMIT_REFRESH_PER_MINUTE: '2',
      RATE_LIMIT_PASSWORD_FAILURES: '3',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('caps the sending routes per IP, and a rotating X-Forwarded-For does not help', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.post(
        '/api/users/get-otp/',
        { email: uniqueEmail() },
        { headers: { 'x-forwarded-for': `10.0.0.${i}` } },
      );
      expect(res.status).toBe(200);
    }
    const limited = await t.post(
      '/api/users/get-otp/',
      { email: uniqueEmail() },
      { headers: { 'x-forwarded-for': '10.9.9.9' } },
    );
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
    });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('caps the verifying routes per IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await t.post('/api/users/login/', { email: uniqueEmail(), otp: '123456' })).status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
  });

  it('caps refresh per IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await t.post('/api/users/token/refresh/', { refresh: 'x'.repeat(43) })).status,
      );
    expect(statuses).toEqual([401, 401, 429]);
  });
});

describe('failed password logins per email', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PASSWORD_FAILURES: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('allows RATE_LIMIT_PASSWORD_FAILURES failures per email, then 429 whatever the IP, for unknown emails too', async () => {
    const email = uniqueEmail();
    for (let i = 0; i < 3; i++) {
      const res = await t.post('/api/users/login/', { email, password: `wrong-password-${i}` });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('Invalid email or password.');
    }
    const limited = await t.post('/api/users/login/', { email, password: 'another-guess' });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (await t.post('/api/users/login/', { email: uniqueEmail(), password: 'first-guess' })).status,
    ).toBe(400);
  });
});

describe('per-IP limits behind a trusted proxy (TRUST_PROXY=1)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_SEND_PER_MINUTE: '2', TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts each client address from X-Forwarded-For separately', async () => {
    const send = (ip: string) =>
      t.post(
        '/api/users/get-otp/',
        { email: uniqueEmail() },
        { headers: { 'x-forwarded-for': ip } },
      );
    expect((await send('203.0.113.1')).status).toBe(200);
    expect((await send('203.0.113.1')).status).toBe(200);
    expect((await send('203.0.113.1')).status).toBe(429);
    expect((await send('203.0.113.2')).status).toBe(200);
  });
});

describe('every unauthenticated route that sends or checks is limited per IP', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Each route is tried from its own forwarded address, so the routes sharing a bucket do not
    // use up each other's single request.
    t = await startTestApp({
      TRUST_PROXY: '1',
      RATE_LIMIT_SEND_PER_MINUTE: '1',
      RATE_LIMIT_VERIFY_PER_MINUTE: '1',
      RATE_LIMIT_REFRESH_PER_MINUTE: '1',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const routes: [string, () => Record<string, unknown>][] = [
    ['/api/users/get-otp/', () => ({ email: uniqueEmail() })],
    ['/api/users/register/', () => ({ email: uniqueEmail(), password: 'k3!vQ9#zLm-2026' })],
    ['/api/users/forgot-password/', () => ({ email: uniqueEmail() })],
    ['/api/users/login/', () => ({ email: uniqueEmail(), otp: '123456' })],
    ['/api/users/verify-otp/', () => ({ email: uniqueEmail(), otp: '123456' })],
    ['/api/users/confirm-otp/', () => ({ email: uniqueEmail(), otp: '123456' })],
    [
      '/api/users/reset-password/',
      () => ({ email: uniqueEmail(), otp: '123456', new_password: 'n3w-Secret!pass' }),
    ],
    ['/api/users/token/refresh/', () => ({ refresh: 'x'.repeat(43) })],
  ];

  it.each(routes.map(([path, body], i) => [path, body, `10.20.0.${i + 1}`] as const))(
    '%s',
    async (path, body, ip) => {
      const headers = { 'x-forwarded-for': ip };
      expect((await t.post(path, body(), { headers })).status).not.toBe(429);
      const limited = await t.post(path, body(), { headers });
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('x-content-type-options')).toBe('nosniff');
      expect(limited.headers.get('cache-control')).toBe('no-store');
    },
  );
});
