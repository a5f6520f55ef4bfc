import { Webhook as StandardWebhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { SignedIn, signInByCode } from './support/auth';
import { createTestDatabase, TestDatabase } from './support/database';
import { mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, usersEnv } from './support/users';
import { eventually, parsed, ReceivedDelivery, WebhookReceiver } from './support/webhook-receiver';

/** Deliveries to the test's own loopback receiver, retries in milliseconds, a short timeout. */
const WEBHOOK_ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_RETRY_SCALE: '0.0002',
  WEBHOOK_TIMEOUT_MS: '500',
  WEBHOOK_WORKER_INTERVAL_MS: '50',
  METRICS_ENABLED: 'true',
};

interface CreatedWebhook {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret: string;
  created_at: string;
}

async function addWebhook(
  t: TestApp,
  token: string,
  body: Record<string, unknown>,
): Promise<CreatedWebhook> {
  const res = await t.post<CreatedWebhook>('/api/admin/webhooks', body, { token });
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${res.text}`);
  return res.body;
}

/** Verifies a delivery exactly as a receiver using the `standardwebhooks` package would. */
function verify(secret: string, delivery: ReceivedDelivery): unknown {
  return new StandardWebhook(secret).verify(delivery.body, {
    'webhook-id': String(delivery.headers['webhook-id']),
    'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
    'webhook-signature': String(delivery.headers['webhook-signature']),
  });
}

describe('webhooks: endpoints, signed deliveries, retries', () => {
  let t: TestApp;
  let admin: SignedIn;
  const receiver = new WebhookReceiver();
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ ...usersEnv(adminEmail), ...WEBHOOK_ENV });
    admin = await signInByCode(t, adminEmail);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });
  afterEach(() => {
    receiver.respond = () => 200;
  });

  /** A receiver path of its own per endpoint, so tests read only their own deliveries. */
  let pathCounter = 0;
  function ownUrl(): string {
    pathCounter += 1;
    return `${receiver.url}/${pathCounter}`;
  }
  const at = (url: string) => receiver.received.filter((d) => url.endsWith(d.path));

  it('every admin route needs an admin: 401 without a token, 403 for a member', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const res of [
      await t.get('/api/admin/webhooks'),
      await t.post('/api/admin/webhooks', { url: receiver.url, events: ['*'] }),
      await t.get(`/api/admin/webhooks/${id}`),
      await t.patch(`/api/admin/webhooks/${id}`, { enabled: false }),
      await t.delete(`/api/admin/webhooks/${id}`),
      await t.post(`/api/admin/webhooks/${id}/rotate-secret`, {}),
      await t.post(`/api/admin/webhooks/${id}/test`, {}),
      await t.get(`/api/admin/webhooks/${id}/deliveries`),
    ])
      expect(res.status).toBe(401);
    const member = await signInByCode(t);
    for (const res of [
      await t.get('/api/admin/webhooks', { token: member.access }),
      await t.post(
        '/api/admin/webhooks',
        { url: receiver.url, events: ['*'] },
        { token: member.access },
      ),
    ])
      expect(res.status).toBe(403);
  });

  it('creates with a secret shown once; lists, reads, changes and deletes without it', async () => {
    const created = await addWebhook(t, admin.access, {
      url: ownUrl(),
      events: ['user.created', 'session.revoked'],
      description: 'CRM sync',
    });
    expect(Object.keys(created).sort()).toEqual(
      ['created_at', 'description', 'enabled', 'events', 'id', 'secret', 'url'].sort(),
    );
    expect(created.enabled).toBe(true);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(32);

    const list = await t.get('/api/admin/webhooks', { token: admin.access });
    expect(list.status).toBe(200);
    const listed = (list.body.data as Record<string, unknown>[]).find((w) => w.id === created.id);
    expect(listed).toMatchObject({ url: created.url, events: created.events });
    expect(list.text).not.toContain('whsec_');

    const one = await t.get(`/api/admin/webhooks/${created.id}`, { token: admin.access });
    expect(one.status).toBe(200);
    expect(one.body.secret).toBeUndefined();

    const changed = await t.patch(
      `/api/admin/webhooks/${created.id}`,
      { events: ['*'], enabled: false },
      { token: admin.access },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: created.id, events: ['*'], enabled: false });

    expect(
      (await t.delete(`/api/admin/webhooks/${created.id}`, undefined, { token: admin.access }))
        .status,
    ).toBe(204);
    expect((await t.get(`/api/admin/webhooks/${created.id}`, { token: admin.access })).status).toBe(
      404,
    );
    expect(
      (await t.delete(`/api/admin/webhooks/${created.id}`, undefined, { token: admin.access }))
        .status,
    ).toBe(404);
  });

  it('refuses an unknown event name, a non-http URL and unknown fields with 400', async () => {
    for (const body of [
      { url: receiver.url, events: ['user.exploded'] },
      { url: receiver.url, events: [] },
      { url: 'ftp://example.com/hook', events: ['*'] },
      { url: 'not a url', events: ['*'] },
      { url: receiver.url, events: ['*'], secret: 'whsec_mine' },
    ]) {
      const res = await t.post('/api/admin/webhooks', body, { token: admin.access });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('delivers user.created, signed as Standard Webhooks says, with the user object and nothing secret', async () => {
    const hook = await addWebhook(t, admin.access, { url: ownUrl(), events: ['user.created'] });
    const user = await createUser(t, admin.access, { email: uniqueEmail('hooked') });

    const delivery = await eventually(
      () => at(hook.url).find((d) => (parsed(d).data.user as { id: string }).id === user.id),
      'user.created delivery',
    );
    expect(verify(hook.secret, delivery)).toMatchObject({ type: 'user.created' });
    expect(delivery.headers['webhook-id']).toMatch(/^msg_/);
    expect(delivery.headers['content-type']).toBe('application/json');
    const body = parsed(delivery);
    expect(body.type).toBe('user.created');
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(body.data).toEqual({ user });
    expect(delivery.body).not.toMatch(/"password"|_hash|secret|token|whsec_/i);
    // A wrong secret does not verify.
    const other = await addWebhook(t, admin.access, { url: ownUrl(), events: ['*'] });
    expect(() => verify(other.secret, delivery)).toThrow();
  });

  it('sends only the event types an endpoint asked for; webhook.test whatever the filter', async () => {
    const picky = await addWebhook(t, admin.access, { url: ownUrl(), events: ['session.revoked'] });
    const all = await addWebhook(t, admin.access, { url: ownUrl(), events: ['*'] });
    await createUser(t, admin.access);
    expect(
      (await t.post(`/api/admin/webhooks/${picky.id}/test`, {}, { token: admin.access })).status,
    ).toBe(202);

    await eventually(
      () => at(all.url).some((d) => parsed(d).type === 'user.created'),
      'the * endpoint',
    );
    const test = await eventually(() => at(picky.url)[0], 'webhook.test');
    expect(parsed(test)).toMatchObject({ type: 'webhook.test', data: { webhook_id: picky.id } });
    expect(verify(picky.secret, test)).toBeTruthy();
    // The test event went to that endpoint alone, and user.created never reached the picky one.
    expect(at(all.url).some((d) => parsed(d).type === 'webhook.test')).toBe(false);
    expect(at(picky.url).map((d) => parsed(d).type)).toEqual(['webhook.test']);
  });

  it('retries a receiver that fails three times with the same webhook-id, then logs the success', async () => {
    const hook = await addWebhook(t, admin.access, { url: ownUrl(), events: ['*'] });
    let calls = 0;
    receiver.respond = (d) => (hook.url.endsWith(d.path) && ++calls <= 3 ? 500 : 200);
    await t.post(`/api/admin/webhooks/${hook.id}/test`, {}, { token: admin.access });

    await eventually(() => at(hook.url).some((d) => d.status === 200), 'the fourth attempt');
    const attempts = at(hook.url);
    expect(attempts.map((d) => d.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(attempts.map((d) => d.headers['webhook-id'])).size).toBe(1);
    for (const attempt of attempts) expect(verify(hook.secret, attempt)).toBeTruthy();

    const log = await t.get(`/api/admin/webhooks/${hook.id}/deliveries`, { token: admin.access });
    expect(log.status).toBe(200);
    expect(log.body.data).toEqual([
      {
        event_id: attempts[0].headers['webhook-id'],
        type: 'webhook.test',
        attempt: 4,
        status: 'succeeded',
        response_code: 200,
        duration_ms: expect.any(Number),
        created_at: expect.any(String),
        next_retry_at: null,
      },
    ]);
  });

  it('retries a receiver that does not answer in time', async () => {
    const hook = await addWebhook(t, admin.access, { url: ownUrl(), events: ['*'] });
    let calls = 0;
    receiver.respond = (d) => (hook.url.endsWith(d.path) && ++calls === 1 ? 'hang' : 200);
    await t.post(`/api/admin/webhooks/${hook.id}/test`, {}, { token: admin.access });
    const delivered = await eventually(() => at(hook.url)[0], 'the retry after the timeout');
    expect(calls).toBe(2);
    expect(verify(hook.secret, delivered)).toBeTruthy();
  });

  it('a 410 disables the endpoint; it gets nothing afterwards', async () => {
    const hook = await addWebhook(t, admin.access, { url: ownUrl(), events: ['*'] });
    receiver.respond = (d) => (hook.url.endsWith(d.path) ? 410 : 200);
    await t.post(`/api/admin/webhooks/${hook.id}/test`, {}, { token: admin.access });
    await eventually(async () => {
      const res = await t.get(`/api/admin/webhooks/${hook.id}`, { token: admin.access });
      return res.body.enabled === false;
    }, 'the endpoint disabled');
    expect(at(hook.url)).toHaveLength(1);

    // A later event is not kept for it; the test route says it is disabled.
    const witness = await addWebhook(t, admin.access, { url: ownUrl(), events: ['user.created'] });
    const user = await createUser(t, admin.access);
    await eventually(
      () => at(witness.url).some((d) => (parsed(d).data.user as { id: string }).id === user.id),
      'the witness delivery',
    );
    expect(at(hook.url)).toHaveLength(1);
    expect(
      (await t.post(`/api/admin/webhooks/${hook.id}/test`, {}, { token: admin.access })).status,
    ).toBe(409);
    const log = await t.get(`/api/admin/webhooks/${hook.id}/deliveries`, { token: admin.access });
    expect(log.body.data).toEqual([
      expect.objectContaining({ status: 'failed', response_code: 410 }),
    ]);
  });

  it('delivers in order of creation per endpoint', async () => {
    const hook = await addWebhook(t, admin.access, { url: ownUrl(), events: ['user.created'] });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await createUser(t, admin.access)).id);
    await eventually(() => at(hook.url).length >= 5, 'five deliveries');
    expect(at(hook.url).map((d) => (parsed(d).data.user as { id: string }).id)).toEqual(ids);
  });

  it('signs with the old and the new secret for a while after a rotation', async () => {
    const hook = await addWebhook(t, admin.access, { url: ownUrl(), events: ['*'] });
    const rotated = await t.post(
      `/api/admin/webhooks/${hook.id}/rotate-secret`,
      {},
      {
        token: admin.access,
      },
    );
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body)).toEqual(['secret']);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);

    await t.post(`/api/admin/webhooks/${hook.id}/test`, {}, { token: admin.access });
    const delivery = await eventually(() => at(hook.url)[0], 'the test event');
    expect(String(delivery.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(rotated.body.secret as string, delivery)).toBeTruthy();
    expect(verify(hook.secret, delivery)).toBeTruthy();
  });

  it('reports the queue in readiness and the outcomes in /metrics', async () => {
    const ready = await t.get('/api/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.webhooks).toEqual({ backlog: expect.any(Number) });
    const metrics = await t.get('/metrics');
    expect(metrics.text).toMatch(/mailguard_webhook_deliveries_total\{outcome="succeeded"\} \d+/);
    expect(metrics.text).toMatch(/mailguard_webhook_deliveries_total\{outcome="retry"\} \d+/);
    expect(metrics.text).toMatch(/mailguard_webhook_queue_depth \d+/);
  });
});

describe('webhooks: SSRF defense', () => {
  let t: TestApp;
  let admin: SignedIn;
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    t = await startTestApp(usersEnv(adminEmail));
    admin = await signInByCode(t, adminEmail);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://172.16.0.1/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fd00:ec2::254]/hook',
    'http://0.0.0.0/hook',
  ])('refuses %s without WEBHOOK_ALLOW_PRIVATE_NETWORKS', async (url) => {
    const res = await t.post(
      '/api/admin/webhooks',
      { url, events: ['*'] },
      { token: admin.access },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: { url: ['This URL points to a loopback, private, link-local or metadata address.'] },
    });
  });

  it('refuses at delivery a name that resolves to a private address there (DNS rebinding)', async () => {
    const receiver = await new WebhookReceiver().start();
    try {
      const hook = await addWebhook(t, admin.access, {
        url: 'https://hooks.example.com/mailguard',
        events: ['*'],
      });
      // The name's DNS answer changes after the check at creation: here, to loopback (setup only).
      const rebound = receiver.url.replace('127.0.0.1', 'localhost');
      await t.app
        .get(DataSource)
        .query('UPDATE webhooks SET url = $1 WHERE id = $2', [rebound, hook.id]);
      await t.post(`/api/admin/webhooks/${hook.id}/test`, {}, { token: admin.access });
      const log = await eventually(async () => {
        const res = await t.get(`/api/admin/webhooks/${hook.id}/deliveries`, {
          token: admin.access,
        });
        const [row] = res.body.data as { attempt: number; status: string }[];
        return row?.attempt >= 1 && row.status !== 'sending' ? row : null;
      }, 'the refused attempt');
      expect(log).toMatchObject({ status: 'pending', response_code: null });
      // Refused before connecting, not merely unreachable (the reason is not part of the API).
      const [row] = await t.app
        .get(DataSource)
        .query<{ last_error: string }[]>(
          'SELECT last_error FROM webhook_deliveries WHERE webhook_id = $1',
          [hook.id],
        );
      expect(row.last_error).toBe('refused: localhost resolves to a blocked address');
      expect(receiver.received).toEqual([]);
      expect(receiver.hanging).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('refuses a change of URL to a private address too', async () => {
    const hook = await addWebhook(t, admin.access, {
      url: 'https://hooks.example.com/mailguard',
      events: ['*'],
    });
    const res = await t.patch(
      `/api/admin/webhooks/${hook.id}`,
      { url: 'http://127.0.0.1/hook' },
      { token: admin.access },
    );
    expect(res.status).toBe(400);
  });
});

describe('webhooks: a dead receiver never slows the API or the mail', () => {
  let t: TestApp;
  let admin: SignedIn;
  const receiver = new WebhookReceiver();
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    await receiver.start();
    // The contract's 10 s timeout (no WEBHOOK_TIMEOUT_MS); quick retries.
    const env = Object.entries(WEBHOOK_ENV).filter(([name]) => name !== 'WEBHOOK_TIMEOUT_MS');
    t = await startTestApp({ ...usersEnv(adminEmail), ...Object.fromEntries(env) });
    admin = await signInByCode(t, adminEmail);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('answers and mails at once while a delivery hangs, and gives up on it after 10 s', async () => {
    receiver.respond = () => 'hang';
    const hook = await addWebhook(t, admin.access, { url: receiver.url, events: ['user.created'] });
    await createUser(t, admin.access);
    await eventually(() => receiver.hanging.length > 0, 'the hanging delivery');
    const hungAt = Date.now();

    const started = Date.now();
    for (let i = 0; i < 5; i += 1) await createUser(t, admin.access);
    const email = uniqueEmail('mailed');
    const before = (await mailsTo(t, email)).length;
    expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
    await waitForMail(t, email, before, 5000);
    const tookMs = Date.now() - started;
    // Still hanging: all of that happened while the receiver held its request open.
    expect(Date.now() - hungAt).toBeLessThan(9000);
    expect(tookMs).toBeLessThan(8000);

    receiver.respond = () => 200;
    const first = await eventually(
      async () => {
        const res = await t.get(`/api/admin/webhooks/${hook.id}/deliveries`, {
          token: admin.access,
        });
        const rows = res.body.data as { attempt: number; status: string; duration_ms: number }[];
        return rows.length === 6 && rows.every((row) => row.status === 'succeeded') ? rows : null;
      },
      'every delivery after the timeout',
      30_000,
    );
    // The hung attempt was cut at the 10 s timeout and retried with the same webhook-id.
    const retried = first.find((row) => row.attempt === 2);
    expect(retried).toBeDefined();
    expect(receiver.received.map((d) => d.headers['webhook-id'])).toContain(
      receiver.hanging[0].headers['webhook-id'],
    );
    expect(Date.now() - hungAt).toBeGreaterThanOrEqual(9500);
    expect(Date.now() - hungAt).toBeLessThan(25_000);
  }, 60_000);
});

describe('webhooks: nothing lost across a restart', () => {
  let db: TestDatabase;
  const receiver = new WebhookReceiver();
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await receiver.stop();
    await db.drop();
  });

  it('a receiver down while MailGuard restarts still gets every event afterwards', async () => {
    await receiver.start();
    const url = receiver.url;
    await receiver.stop();

    let t = await startTestApp({ ...usersEnv(adminEmail), ...WEBHOOK_ENV }, db);
    const admin = await signInByCode(t, adminEmail);
    await addWebhook(t, admin.access, { url, events: ['user.created'] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await createUser(t, admin.access)).id);
    await t.close();

    await receiver.start();
    t = await startTestApp({ ...usersEnv(adminEmail), ...WEBHOOK_ENV }, db);
    try {
      await eventually(() => receiver.received.length >= 3, 'three deliveries', 60_000);
      expect(receiver.received.map((d) => (parsed(d).data.user as { id: string }).id)).toEqual(ids);
    } finally {
      await t.close();
    }
  }, 120_000);
});

const databaseUrl = process.env.DATABASE_URL;
(databaseUrl ? describe : describe.skip)('webhooks: two instances on one PostgreSQL', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const receiver = new WebhookReceiver();
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    await receiver.start();
    db = await createTestDatabase();
    a = await startTestApp({ ...usersEnv(adminEmail), ...WEBHOOK_ENV }, db);
    b = await startTestApp({ ...usersEnv(adminEmail), ...WEBHOOK_ENV }, db);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await receiver.stop();
    await db.drop();
  });

  it('delivers each event once, in order, whichever instance made it', async () => {
    const admin = await signInByCode(a, adminEmail);
    await addWebhook(a, admin.access, { url: receiver.url, events: ['user.created'] });
    const ids = [];
    for (let i = 0; i < 10; i += 1) ids.push((await createUser(i % 2 ? a : b, admin.access)).id);
    await eventually(() => receiver.received.length >= 10, 'ten deliveries');
    // Both workers keep polling; give them a moment to (wrongly) send anything twice.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const got = receiver.received.map((d) => (parsed(d).data.user as { id: string }).id);
    expect(got).toEqual(ids);
    expect(new Set(receiver.received.map((d) => d.headers['webhook-id'])).size).toBe(10);
  });
});
