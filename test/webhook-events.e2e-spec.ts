import { Webhook as StandardWebhook } from 'standardwebhooks';
import { PASSWORD, SignedIn, signInByCode, signUpWithPassword } from './support/auth';
import { mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { WEBHOOK_EVENT_TYPES } from '../src/webhooks/webhook-event-types';
import { createUser, SessionObject, USER_FIELDS, UserObject, usersEnv } from './support/users';
import { eventually, parsed, ReceivedDelivery, WebhookReceiver } from './support/webhook-receiver';

/** Each event type, end to end: a real receiver, every delivery verified as a receiver would. */
const FRONTEND = 'https://app.example.com/auth/magic';
const USER_AGENT = 'WebhookEventsSpec/1.0';
const WEBHOOK_ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_RETRY_SCALE: '0.0002',
  WEBHOOK_TIMEOUT_MS: '500',
  WEBHOOK_WORKER_INTERVAL_MS: '50',
  MAGIC_LINK_URL: FRONTEND,
  JWT_REFRESH_REUSE_GRACE_SECONDS: '0',
  ACCOUNT_LOCK_THRESHOLD: '3',
};
const NEW_PASSWORD = 'n3w-Secret!pass';

type EventType = (typeof WEBHOOK_EVENT_TYPES)[number];

interface EventBody {
  type: string;
  timestamp: string;
  data: { user: UserObject; session?: { id: string; ip: string | null; user_agent: string } };
}

describe('webhook events: each type fires once with the documented data', () => {
  let t: TestApp;
  let admin: SignedIn;
  let webhookSecret: string;
  const receiver = new WebhookReceiver();
  const adminEmail = uniqueEmail('admin');
  const asBrowser = { headers: { 'user-agent': USER_AGENT } };

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ ...usersEnv(adminEmail), ...WEBHOOK_ENV });
    admin = await signInByCode(t, adminEmail);
    const created = await t.post(
      '/api/admin/webhooks',
      { url: receiver.url, events: ['*'] },
      { token: admin.access },
    );
    expect(created.status).toBe(201);
    webhookSecret = created.body.secret as string;
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  /** Verifies with the `standardwebhooks` package (throws on a bad signature) and parses. */
  function verified(delivery: ReceivedDelivery): EventBody {
    const payload = new StandardWebhook(webhookSecret).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    });
    expect(payload).toEqual(parsed(delivery));
    return payload as EventBody;
  }

  /** Secrets the suite has handed out or received: none may appear in any delivery. */
  const secrets = new Set<string>([PASSWORD]);
  const keep = (...values: unknown[]) =>
    values.forEach((value) => typeof value === 'string' && value && secrets.add(value));

  /** Names in a payload that could hold a secret (`has_password` is a flag, not one). */
  function secretNames(value: unknown): string[] {
    if (!value || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([name, inner]) => [
      ...(name !== 'has_password' &&
      /(^|_)(pass(word)?|hash|secret|token|otp|code|key)(_|$)/i.test(name)
        ? [name]
        : []),
      ...secretNames(inner),
    ]);
  }

  /** Waits for deliveries matching `which`, then checks there is one and it carries nothing secret. */
  async function onlyOne(what: string, which: (body: EventBody) => boolean): Promise<EventBody> {
    const matching = () => receiver.received.filter((d) => which(parsed(d) as EventBody));
    await eventually(() => matching().length > 0, what);
    // The worker polls every 50 ms: a duplicate would show within a few rounds.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const deliveries = matching();
    expect(deliveries).toHaveLength(1);
    const body = verified(deliveries[0]);
    expect(secretNames(body)).toEqual([]);
    for (const secret of [...secrets, webhookSecret])
      expect(deliveries[0].body).not.toContain(secret);
    return body;
  }

  /** One `session.created` for the session of this token pair, with the user as /me shows it. */
  async function expectSessionCreated(access: string): Promise<void> {
    const me = await t.get<UserObject>('/api/users/me', { token: access });
    const list = await t.get<{ data: SessionObject[] }>('/api/users/me/sessions', {
      token: access,
    });
    const session = list.body.data.find((s) => s.current)!;
    keep(access);
    const body = await onlyOne(
      'session.created',
      (b) => b.type === 'session.created' && b.data.session?.id === session.id,
    );
    expect(Object.keys(body)).toEqual(['type', 'timestamp', 'data']);
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(body.data).toEqual({
      user: me.body,
      session: { id: session.id, ip: session.ip, user_agent: USER_AGENT },
    });
    expect(session.ip).toEqual(expect.any(String));
  }

  async function requestCode(email: string): Promise<{ code: string; token: string }> {
    const before = (await mailsTo(t, email)).length;
    expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
    const mail = await waitForMail(t, email, before);
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    keep(mail.code, token);
    return { code: mail.code!, token: token! };
  }

  it('session.created for a code login (the one that creates the account, and a later one)', async () => {
    const email = uniqueEmail('code');
    for (let i = 0; i < 2; i += 1) {
      const { code } = await requestCode(email);
      const login = await t.post('/api/users/login/', { email, otp: code }, asBrowser);
      expect(login.status).toBe(200);
      keep(login.body.access, login.body.refresh);
      await expectSessionCreated(login.body.access as string);
    }
  });

  it('session.created for code logins sent together (one statement): each carries its own user and session', async () => {
    const existing = await signInByCode(t, uniqueEmail('together'));
    const emails = [existing.email, ...[0, 1, 2, 3].map((i) => uniqueEmail(`together${i}`))];
    const codes: string[] = [];
    for (const email of emails) codes.push((await requestCode(email)).code);
    const logins = await Promise.all(
      emails.map((email, i) => t.post('/api/users/login/', { email, otp: codes[i] }, asBrowser)),
    );
    for (const login of logins) {
      expect(login.status).toBe(200);
      keep(login.body.access, login.body.refresh);
      await expectSessionCreated(login.body.access as string);
    }
  });

  it('session.created for a password login', async () => {
    const email = uniqueEmail('password');
    await signUpWithPassword(t, email);
    const login = await t.post('/api/users/login/', { email, password: PASSWORD }, asBrowser);
    expect(login.status).toBe(200);
    keep(login.body.access, login.body.refresh);
    await expectSessionCreated(login.body.access as string);
  });

  it('session.created for a magic-link sign-in', async () => {
    const email = uniqueEmail('magic');
    const { token } = await requestCode(email);
    const res = await t.post('/api/users/magic-link/verify', { token }, asBrowser);
    expect(res.status).toBe(200);
    keep(res.body.access, res.body.refresh);
    await expectSessionCreated(res.body.access as string);
  });

  /** Asks for an email change and confirms it with the two mailed codes, as a browser. */
  async function changeEmail(user: SignedIn, newEmail: string) {
    const [beforeOld, beforeNew] = [
      (await mailsTo(t, user.email)).length,
      (await mailsTo(t, newEmail)).length,
    ];
    const asked = await t.post(
      '/api/users/me/email-change',
      { new_email: newEmail },
      { token: user.access },
    );
    expect(asked.status).toBe(202);
    const current = (await waitForMail(t, user.email, beforeOld)).code!;
    const fresh = (await waitForMail(t, newEmail, beforeNew)).code!;
    keep(current, fresh);
    const res = await t.post(
      '/api/users/me/email-change/confirm',
      { current_code: current, new_code: fresh },
      { token: user.access, ...asBrowser },
    );
    expect(res.status).toBe(200);
    keep(res.body.access, res.body.refresh);
    return res;
  }

  it('session.created for the session an email change confirm opens', async () => {
    const user = await signInByCode(t);
    keep(user.access, user.refresh);
    const res = await changeEmail(user, uniqueEmail('change'));
    await expectSessionCreated(res.body.access as string);
  });

  /** The one `type` event about user `id`: exactly the user object's fields, and `session` when given. */
  async function expectUserEvent(type: EventType, id: string): Promise<EventBody> {
    const body = await onlyOne(type, (b) => b.type === type && b.data.user?.id === id);
    expect(Object.keys(body.data)).toEqual(
      type.startsWith('session.') ? ['user', 'session'] : ['user'],
    );
    expect(Object.keys(body.data.user).sort()).toEqual(USER_FIELDS);
    return body;
  }

  async function signedIn(): Promise<SignedIn> {
    const user = await signInByCode(t);
    keep(user.access, user.refresh);
    return user;
  }

  /** Each event type and the action that fires it; the type makes the list complete. */
  const scenarios: Record<EventType, () => Promise<void>> = {
    'user.created': async () => {
      // A code sign-up, a confirmed registration and an admin's create: one event each.
      const email = uniqueEmail('signup');
      const first = await signInByCode(t, email);
      keep(first.access, first.refresh);
      const made = await expectUserEvent('user.created', first.id);
      expect(made.data.user).toMatchObject({ email, is_verified: true, has_password: false });
      const registered = await signUpWithPassword(t, uniqueEmail('registered'));
      keep(registered.access, registered.refresh);
      const confirmed = await expectUserEvent('user.created', registered.id);
      expect(confirmed.data.user).toMatchObject({ email: registered.email, has_password: true });
      const created = await createUser(t, admin.access);
      expect((await expectUserEvent('user.created', created.id)).data.user).toEqual(created);
    },
    'user.updated': async () => {
      const user = await signedIn();
      const res = await t.patch(
        '/api/users/me',
        { full_name: 'Renamed Person' },
        { token: user.access },
      );
      expect(res.status).toBe(200);
      const me = await t.get('/api/users/me', { token: user.access });
      expect((await expectUserEvent('user.updated', user.id)).data.user).toEqual(me.body);
    },
    'user.deleted': async () => {
      const user = await createUser(t, admin.access);
      expect(
        (await t.delete(`/api/users/${user.id}`, undefined, { token: admin.access })).status,
      ).toBe(200);
      expect((await expectUserEvent('user.deleted', user.id)).data.user).toMatchObject({
        id: user.id,
        email: user.email,
      });
    },
    'user.restored': async () => {
      const user = await createUser(t, admin.access);
      await t.delete(`/api/users/${user.id}`, undefined, { token: admin.access });
      const res = await t.post(`/api/users/${user.id}/restore`, {}, { token: admin.access });
      expect(res.status).toBe(200);
      const restored = await expectUserEvent('user.restored', user.id);
      expect(restored.data.user).toMatchObject({ id: user.id, is_active: true });
    },
    'user.banned': async () => {
      const user = await createUser(t, admin.access);
      const until = new Date(Date.now() + 86_400_000).toISOString();
      const res = await t.post(
        `/api/admin/users/${user.id}/ban`,
        { reason: 'Spam from this account', until },
        { token: admin.access },
      );
      expect(res.status).toBe(200);
      const banned = await expectUserEvent('user.banned', user.id);
      expect(banned.data.user.banned_until).toBe(until);
      expect(JSON.stringify(banned.data)).not.toContain('Spam from this account');
    },
    'user.unbanned': async () => {
      const user = await createUser(t, admin.access);
      await t.post(
        `/api/admin/users/${user.id}/ban`,
        { reason: 'A mistake' },
        { token: admin.access },
      );
      expect(
        (await t.post(`/api/admin/users/${user.id}/unban`, {}, { token: admin.access })).status,
      ).toBe(200);
      expect((await expectUserEvent('user.unbanned', user.id)).data.user.banned_until).toBeNull();
    },
    'user.email_changed': async () => {
      const user = await signedIn();
      const newEmail = uniqueEmail('moved');
      const res = await changeEmail(user, newEmail);
      const changed = await expectUserEvent('user.email_changed', user.id);
      expect(changed.data.user).toEqual((res.body.data as UserObject[])[0]);
      expect(changed.data.user.email).toBe(newEmail);
    },
    'password.changed': async () => {
      const user = await signedIn();
      const res = await t.post(
        '/api/users/me/password',
        { new_password: NEW_PASSWORD },
        { token: user.access },
      );
      expect(res.status).toBe(200);
      keep(NEW_PASSWORD);
      expect((await expectUserEvent('password.changed', user.id)).data.user.has_password).toBe(
        true,
      );
    },
    'password.reset': async () => {
      const user = await signUpWithPassword(t, uniqueEmail('forgot'));
      const before = (await mailsTo(t, user.email)).length;
      expect((await t.post('/api/users/forgot-password/', { email: user.email })).status).toBe(200);
      const otp = (await waitForMail(t, user.email, before)).code!;
      keep(otp, NEW_PASSWORD, user.access, user.refresh);
      const res = await t.post('/api/users/reset-password/', {
        email: user.email,
        otp,
        new_password: NEW_PASSWORD,
      });
      expect(res.status).toBe(200);
      expect((await expectUserEvent('password.reset', user.id)).data.user.email).toBe(user.email);
    },
    'session.created': async () => {
      const email = uniqueEmail('session');
      await signInByCode(t, email);
      const { code } = await requestCode(email);
      const login = await t.post('/api/users/login/', { email, otp: code }, asBrowser);
      await expectSessionCreated(login.body.access as string);
    },
    'session.revoked': async () => {
      const user = await signedIn();
      const me = await t.get<UserObject>('/api/users/me', { token: user.access });
      const list = await t.get<{ data: SessionObject[] }>('/api/users/me/sessions', {
        token: user.access,
      });
      const session = list.body.data.find((s) => s.current)!;
      expect((await t.post('/api/users/logout/', {}, { token: user.access })).status).toBe(200);
      const revoked = await expectUserEvent('session.revoked', user.id);
      expect(revoked.data).toEqual({
        user: me.body,
        session: { id: session.id, ip: session.ip, user_agent: session.user_agent },
      });
    },
    'session.reuse_detected': async () => {
      const user = await signedIn();
      const rotated = await t.post('/api/users/token/refresh/', { refresh: user.refresh });
      expect(rotated.status).toBe(200);
      keep(rotated.body.access, rotated.body.refresh);
      expect((await t.post('/api/users/token/refresh/', { refresh: user.refresh })).status).toBe(
        401,
      );
      const reused = await expectUserEvent('session.reuse_detected', user.id);
      expect(reused.data.session).toMatchObject({ id: expect.any(String) });
    },
    'account.locked': async () => {
      const user = await signUpWithPassword(t, uniqueEmail('guessed'));
      keep(user.access, user.refresh);
      for (let i = 0; i < 3; i += 1)
        expect(
          (await t.post('/api/users/login/', { email: user.email, password: 'wrong-Password-1' }))
            .status,
        ).toBe(400);
      expect((await expectUserEvent('account.locked', user.id)).data.user.email).toBe(user.email);
    },
  };

  it.each(Object.keys(scenarios) as EventType[])(
    '%s fires once, signed, with {user, session?} and no secret',
    async (type) => {
      await scenarios[type]();
    },
  );

  it('the scenarios cover every event type of the contract', () => {
    expect(Object.keys(scenarios).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });
});
