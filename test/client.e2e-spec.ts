import { BroadcastChannel as NodeBroadcastChannel } from 'node:worker_threads';
import {
  AuthEvent,
  MailGuardClient,
  MailGuardError,
  MailGuardNetworkError,
} from '../clients/js/src/index';
import { mailsTo, uniqueEmail, waitForCode } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/** @mailguard/client against the real service: the whole flow in Node, both transports. */

// Jest's sandbox lacks the global Node has; the client finds it on globalThis like in a browser.
(globalThis as { BroadcastChannel?: unknown }).BroadcastChannel ??= NodeBroadcastChannel;

let channels = 0;

describe('@mailguard/client in Node', () => {
  let t: TestApp;
  const clients: MailGuardClient[] = [];

  const client = (options: Partial<ConstructorParameters<typeof MailGuardClient>[0]> = {}) => {
    const made = new MailGuardClient({
      baseUrl: t.baseUrl,
      channelName: `test-${channels}`,
      ...options,
    });
    clients.push(made);
    return made;
  };

  async function codeFor(c: MailGuardClient, email: string): Promise<string> {
    const before = (await mailsTo(t, email)).length;
    expect(await c.requestCode(email)).toEqual({ message: 'OTP sent to email.' });
    return waitForCode(t, email, before);
  }

  beforeAll(async () => {
    t = await startTestApp({
      OTP_MAX_SENDS_PER_HOUR: '1000',
      JWT_REFRESH_REUSE_GRACE_SECONDS: '30',
    });
  });
  beforeEach(() => {
    channels++;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.dispose();
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in with a code, calls routes, refreshes and signs out (header transport)', async () => {
    const c = client();
    const events: AuthEvent[] = [];
    c.onAuthStateChange((event) => events.push(event));
    const email = uniqueEmail();
    const state = await c.signInWithCode(email, await codeFor(c, email));
    expect(state.signedIn).toBe(true);
    const me = await c.getMe();
    expect(me.email).toBe(email);
    const before = c.state.accessToken;
    expect(await c.refresh()).not.toBe(before);
    expect((await c.listMySessions()).data).toHaveLength(1);
    await c.signOut();
    expect(c.state).toEqual({ signedIn: false, accessToken: null, expiresAt: null });
    expect(events).toEqual(['SIGNED_IN', 'TOKEN_REFRESHED', 'SIGNED_OUT']);
    await expect(c.getMe()).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('throws typed errors carrying code, message, errors and Retry-After', async () => {
    const c = client();
    const email = uniqueEmail();
    await codeFor(c, email);
    const wrong = await c.signInWithCode(email, '000000').catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(MailGuardError);
    expect(wrong).toMatchObject({
      status: 400,
      code: 'INVALID_CREDENTIALS',
      message: 'Invalid OTP or email.',
    });
    const invalid = await c.requestCode('').catch((error: unknown) => error);
    expect(invalid).toMatchObject({ status: 400, errors: { email: expect.any(Array) } });
    const limited = await c.requestCode(email).catch((error: unknown) => error);
    expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect((limited as MailGuardError).retryAfter).toBeGreaterThan(0);
  });

  it('refreshes once and retries once when a request answers 401', async () => {
    let spoil = false;
    const c = client({
      fetch: (input, init) => {
        const headers = { ...(init?.headers as Record<string, string>) };
        if (spoil && headers.Authorization) {
          spoil = false;
          headers.Authorization = 'Bearer not.a.token';
        }
        return fetch(input, { ...init, headers });
      },
    });
    const email = uniqueEmail();
    await c.signInWithCode(email, await codeFor(c, email));
    const first = c.state.accessToken;
    spoil = true;
    expect((await c.getMe()).email).toBe(email);
    expect(c.state.accessToken).not.toBe(first);
  });

  it('keeps a valid access token when a refresh fails on the network', async () => {
    let offline = false;
    const c = client({
      fetch: (input, init) =>
        offline ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init),
    });
    const email = uniqueEmail();
    await c.signInWithCode(email, await codeFor(c, email));
    const access = c.state.accessToken;
    offline = true;
    expect(await c.refresh()).toBe(access);
    expect(c.state.signedIn).toBe(true);
    await expect(c.getMe()).rejects.toBeInstanceOf(MailGuardNetworkError);
    offline = false;
    expect((await c.getMe()).email).toBe(email);
  });

  it('discards a refresh answer that arrives after sign-out', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const c = client({
      fetch: async (input, init) => {
        const answer = await fetch(input, init);
        if (typeof input === 'string' && input.includes('/token/refresh/')) await gate;
        return answer;
      },
    });
    const email = uniqueEmail();
    await c.signInWithCode(email, await codeFor(c, email));
    const refreshing = c.refresh();
    await c.signOut();
    release();
    await refreshing;
    expect(c.state.signedIn).toBe(false);
  });

  it('keeps two tabs in step: simultaneous refreshes never end the session, sign-out reaches both', async () => {
    const a = client();
    const b = client();
    const seenByB: AuthEvent[] = [];
    b.onAuthStateChange((event) => seenByB.push(event));
    const email = uniqueEmail();
    await a.signInWithCode(email, await codeFor(a, email));
    await waitFor(() => b.state.signedIn);
    for (let round = 0; round < 5; round++) {
      const [x, y] = await Promise.all([a.refresh(), b.refresh()]);
      expect(x).toEqual(expect.any(String));
      expect(y).toEqual(expect.any(String));
    }
    expect((await a.getMe()).email).toBe(email);
    expect((await b.getMe()).email).toBe(email);
    await a.signOut();
    await waitFor(() => !b.state.signedIn);
    expect(seenByB[0]).toBe('SIGNED_IN');
    expect(seenByB.at(-1)).toBe('SIGNED_OUT');
  });

  it('speaks the cookie transport: the refresh token never reaches the client code', async () => {
    let jar: string | null = null;
    const bodies: string[] = [];
    const c = client({
      transport: 'cookie',
      fetch: async (input, init) => {
        const headers = { ...(init?.headers as Record<string, string>) };
        if (jar) headers.Cookie = jar;
        const answer = await fetch(input, { ...init, headers });
        const set = answer.headers.getSetCookie()[0];
        if (set) jar = /Max-Age=0/.test(set) ? null : set.split(';')[0];
        bodies.push(await answer.clone().text());
        return answer;
      },
    });
    const email = uniqueEmail();
    await c.signInWithCode(email, await codeFor(c, email));
    expect(jar).toMatch(/^mailguard_refresh=/);
    const cookie = jar!.split('=')[1];
    expect((await c.getMe()).email).toBe(email);
    expect(await c.refresh()).toEqual(expect.any(String));
    expect(jar).not.toContain(cookie);
    expect(bodies.join('\n')).not.toContain(jar!.split('=')[1]);
    await c.signOut();
    expect(jar).toBeNull();
    expect(c.state.signedIn).toBe(false);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(condition()).toBe(true);
}
