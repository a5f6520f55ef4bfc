import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PASSWORD, sleep } from './support/auth';
import { HttpResponse } from './support/http-client';
import { mailsTo, uniqueEmail, waitForCode } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/** Browser frontends: the refresh token in an HttpOnly cookie, CSRF defense, CORS with credentials. */

const APP_ORIGIN = 'https://app.example.test';
const COOKIE = 'mailguard_refresh';
const CSRF = { 'x-csrf-protection': '1' };
const COOKIE_MODE = { 'x-token-transport': 'cookie' };

function setCookie(res: HttpResponse): string | undefined {
  const all = res.headers.getSetCookie();
  expect(all.length).toBeLessThanOrEqual(1);
  return all[0];
}

/** The cookie value a response set; fails when it set none. */
function cookieValue(res: HttpResponse, name = COOKIE): string {
  const header = setCookie(res);
  const match = header && new RegExp(`^${name}=([^;]*);`).exec(header);
  if (!match) throw new Error(`no ${name} cookie in ${String(header)}`);
  return match[1];
}

const sendCookie = (value: string, extra: Record<string, string> = {}) => ({
  headers: { cookie: `other=1; ${COOKIE}=${value}`, ...extra },
});

async function codeFor(t: TestApp, email: string): Promise<string> {
  const before = (await mailsTo(t, email)).length;
  expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
  return waitForCode(t, email, before);
}

/** A code sign-in in cookie mode: the access token from the body, the refresh token from the cookie. */
async function cookieSignIn(t: TestApp, email = uniqueEmail()) {
  const otp = await codeFor(t, email);
  const res = await t.post('/api/users/login/', { email, otp }, { headers: COOKIE_MODE });
  expect(res.status).toBe(200);
  return { res, access: res.body.access as string, cookie: cookieValue(res) };
}

describe('refresh token in a cookie (development PUBLIC_URL on localhost)', () => {
  let t: TestApp;
  let logFile: string;
  let closed = false;

  beforeAll(async () => {
    logFile = join(mkdtempSync(join(tmpdir(), 'mailguard-cookie-log-')), 'app.log');
    t = await startTestApp({
      OTP_RESEND_SECONDS: '0',
      OTP_MAX_SENDS_PER_HOUR: '1000',
      JWT_REFRESH_REUSE_GRACE_SECONDS: '1',
      JWT_REFRESH_TTL: '2h',
      CORS_ORIGINS: `${APP_ORIGIN},http://localhost:5173`,
      LOG_LEVEL: 'info',
      LOG_FILE: logFile,
    });
  });
  afterAll(async () => {
    if (!closed) await t.close();
  });

  it('sets the refresh token as an HttpOnly, SameSite=Strict cookie and leaves it out of the body', async () => {
    const { res, cookie } = await cookieSignIn(t);
    expect(setCookie(res)).toBe(
      `${COOKIE}=${cookie}; Path=/; Max-Age=7200; HttpOnly; SameSite=Strict`,
    );
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(res.body).not.toHaveProperty('refresh');
    expect(res.text).not.toContain(cookie);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
    expect(res.body.token).toBe(res.body.access);
    expect((await t.get('/api/users/me', { token: res.body.access })).status).toBe(200);
  });

  it('keeps the header transport unchanged for REST clients', async () => {
    const email = uniqueEmail();
    const otp = await codeFor(t, email);
    const login = await t.post('/api/users/login/', { email, otp });
    expect(login.status).toBe(200);
    expect(login.body.refresh).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(setCookie(login)).toBeUndefined();
    const refreshed = await t.post('/api/users/token/refresh/', { refresh: login.body.refresh });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh).toEqual(expect.any(String));
    expect(setCookie(refreshed)).toBeUndefined();
  });

  it('gives a password sign-in and a confirmed registration the cookie too', async () => {
    const email = uniqueEmail();
    const before = (await mailsTo(t, email)).length;
    const registered = await t.post('/api/users/register/', {
      email,
      password: PASSWORD,
      full_name: 'Cookie User',
    });
    expect(registered.status).toBe(200);
    const otp = await waitForCode(t, email, before);
    const confirmed = await t.post(
      '/api/users/verify-otp/',
      { email, otp },
      { headers: COOKIE_MODE },
    );
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).not.toHaveProperty('refresh');
    expect(confirmed.body.data[0].email).toBe(email);
    expect(cookieValue(confirmed)).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    const login = await t.post(
      '/api/users/login/',
      { email, password: PASSWORD },
      { headers: COOKIE_MODE },
    );
    expect(login.status).toBe(200);
    expect(login.body).not.toHaveProperty('refresh');
    expect(cookieValue(login)).not.toBe(cookieValue(confirmed));
  });

  it('refreshes from the cookie with no body, rotates it and keeps it out of the body', async () => {
    const { cookie } = await cookieSignIn(t);
    const res = await t.post('/api/users/token/refresh/', undefined, sendCookie(cookie, CSRF));
    expect(res.status).toBe(200);
    const next = cookieValue(res);
    expect(next).not.toBe(cookie);
    expect(res.body).not.toHaveProperty('refresh');
    expect(res.text).not.toContain(next);
    expect((await t.get('/api/users/me', { token: res.body.access })).status).toBe(200);
    // An empty JSON body and a trusted origin work the same; the cookie moves on again.
    const again = await t.post(
      '/api/users/token/refresh/',
      {},
      sendCookie(next, { ...CSRF, origin: APP_ORIGIN, 'sec-fetch-site': 'same-site' }),
    );
    expect(again.status).toBe(200);
    expect(cookieValue(again)).not.toBe(next);
  });

  it('follows the reuse rules for a replayed old cookie and sets no cookie when refusing', async () => {
    const { cookie: first } = await cookieSignIn(t);
    const rotated = await t.post('/api/users/token/refresh/', undefined, sendCookie(first, CSRF));
    const second = cookieValue(rotated);
    // Within the grace window (another tab): refused, nothing changes, no cookie overwritten.
    const replay = await t.post('/api/users/token/refresh/', undefined, sendCookie(first, CSRF));
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: 'TOKEN_INVALID' });
    expect(setCookie(replay)).toBeUndefined();
    const third = await t.post('/api/users/token/refresh/', undefined, sendCookie(second, CSRF));
    expect(third.status).toBe(200);
    // After it: the whole session ends, its newest cookie and access token too.
    await sleep(1100);
    const late = await t.post('/api/users/token/refresh/', undefined, sendCookie(first, CSRF));
    expect(late.status).toBe(401);
    expect(setCookie(late)).toBeUndefined();
    const newest = await t.post(
      '/api/users/token/refresh/',
      undefined,
      sendCookie(cookieValue(third), CSRF),
    );
    expect(newest.status).toBe(401);
    expect((await t.get('/api/users/me', { token: third.body.access })).status).toBe(401);
  });

  it.each([
    ['no X-CSRF-Protection header', {}],
    ['a wrong X-CSRF-Protection value', { 'x-csrf-protection': 'yes' }],
    ['a foreign Origin', { ...CSRF, origin: 'https://evil.example' }],
    ['Origin null', { ...CSRF, origin: 'null' }],
    ['a cross-site fetch without Origin', { ...CSRF, 'sec-fetch-site': 'cross-site' }],
    [
      'a cross-site fetch from a foreign origin',
      { ...CSRF, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    ],
  ])('refuses a cookie refresh with %s: 403, no cookie, nothing changed', async (_, headers) => {
    const { cookie } = await cookieSignIn(t);
    const res = await t.post('/api/users/token/refresh/', undefined, sendCookie(cookie, headers));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect(setCookie(res)).toBeUndefined();
    // The cookie was not used: it still refreshes once (a used one would be refused now).
    const ok = await t.post('/api/users/token/refresh/', undefined, sendCookie(cookie, CSRF));
    expect(ok.status).toBe(200);
  });

  it.each([
    ['no X-CSRF-Protection header', {}],
    ['a foreign Origin', { ...CSRF, origin: 'https://evil.example' }],
    ['a cross-site fetch', { ...CSRF, 'sec-fetch-site': 'cross-site' }],
  ])('refuses a cookie logout with %s: 403 and the session lives on', async (_, headers) => {
    const { cookie, access } = await cookieSignIn(t);
    const res = await t.post('/api/users/logout/', {}, sendCookie(cookie, headers));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    expect(setCookie(res)).toBeUndefined();
    expect((await t.get('/api/users/me', { token: access })).status).toBe(200);
  });

  it('logs out by the cookie alone: the session ends and the cookie is cleared', async () => {
    const { cookie, access } = await cookieSignIn(t);
    const res = await t.post('/api/users/logout/', undefined, sendCookie(cookie, CSRF));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ detail: 'Successfully logged out.' });
    expect(setCookie(res)).toBe(`${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`);
    expect((await t.get('/api/users/me', { token: access })).status).toBe(401);
    const refresh = await t.post('/api/users/token/refresh/', undefined, sendCookie(cookie, CSRF));
    expect(refresh.status).toBe(401);
    // A dead cookie no longer authenticates a logout.
    const twice = await t.post('/api/users/logout/', {}, sendCookie(cookie, CSRF));
    expect(twice.status).toBe(401);
    expect(twice.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('logs out with the access token, ending and clearing the cookie as well', async () => {
    const { cookie, access } = await cookieSignIn(t);
    const res = await t.post('/api/users/logout/', {}, { token: access, ...sendCookie(cookie) });
    expect(res.status).toBe(200);
    expect(setCookie(res)).toContain('Max-Age=0');
    const refresh = await t.post('/api/users/token/refresh/', undefined, sendCookie(cookie, CSRF));
    expect(refresh.status).toBe(401);
    // Neither a token nor a cookie: 401 as before.
    expect((await t.post('/api/users/logout/', {})).status).toBe(401);
  });

  it('answers CORS preflights with credentials for listed origins only', async () => {
    const preflight = (origin: string) =>
      t.request('OPTIONS', '/api/users/token/refresh/', undefined, {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-csrf-protection,x-token-transport',
        },
      });
    const allowed = await preflight(APP_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('vary')).toMatch(/Origin/);
    const headers = allowed.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
    for (const name of ['authorization', 'content-type', 'x-token-transport', 'x-csrf-protection'])
      expect(headers).toContain(name);
    const denied = await preflight('https://evil.example');
    // Without Access-Control-Allow-Origin the browser hands nothing to the foreign page.
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await t.get('/api/health', { headers: { origin: APP_ORIGIN } });
    expect(simple.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(simple.headers.get('access-control-allow-credentials')).toBe('true');
    expect(simple.headers.get('vary')).toMatch(/Origin/);
  });

  it('never writes a refresh cookie to the log', async () => {
    const { cookie } = await cookieSignIn(t);
    const res = await t.post('/api/users/token/refresh/', undefined, sendCookie(cookie, CSRF));
    const next = cookieValue(res);
    await t.close();
    closed = true;
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('/api/users/token/refresh');
    expect(log).not.toContain(cookie);
    expect(log).not.toContain(next);
  });
});

describe('refresh token in a cookie (https PUBLIC_URL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      PUBLIC_URL: 'https://auth.example.test',
      CORS_ORIGINS: APP_ORIGIN,
      OTP_RESEND_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('uses the __Host- cookie with Secure, and trusts PUBLIC_URL as an origin', async () => {
    const email = uniqueEmail();
    const otp = await codeFor(t, email);
    const login = await t.post('/api/users/login/', { email, otp }, { headers: COOKIE_MODE });
    const name = '__Host-mailguard_refresh';
    const cookie = cookieValue(login, name);
    expect(setCookie(login)).toBe(
      `${name}=${cookie}; Path=/; Max-Age=86400; HttpOnly; SameSite=Strict; Secure`,
    );
    // The development name is not read here.
    const wrongName = await t.post('/api/users/token/refresh/', undefined, {
      headers: { ...CSRF, cookie: `${COOKIE}=${cookie}` },
    });
    expect(wrongName.status).toBe(400);
    const res = await t.post('/api/users/token/refresh/', undefined, {
      headers: { ...CSRF, cookie: `${name}=${cookie}`, origin: 'https://auth.example.test' },
    });
    expect(res.status).toBe(200);
    expect(setCookie(res)).toMatch(/^__Host-mailguard_refresh=[A-Za-z0-9_-]+; .*; Secure$/);
  });
});
