import { Webhook as StandardWebhook } from 'standardwebhooks';
import { PASSWORD, SignedIn, signInByCode, signUpWithPassword } from './support/auth';
import { mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { SessionObject, UserObject, usersEnv } from './support/users';
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
};

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
});
