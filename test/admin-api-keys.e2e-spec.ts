import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { createApiKey, CreatedKey } from './support/api-keys';
import { claimsOf, SignedIn, signInByCode } from './support/auth';
import { uniqueEmail } from './support/mailbox';
import { HttpResponse } from './support/http-client';
import { startTestApp, TestApp } from './support/test-app';
import { NO_SUCH_ID, usersEnv } from './support/users';
import { WebhookReceiver } from './support/webhook-receiver';

/** One admin call: what it sends, and what an admin gets (the refusals are the same for all). */
interface AdminCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  status: number;
}

interface AuditRow {
  action: string;
  actor_type: string;
  actor_id: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  session_id: string | null;
}

/**
 * API.md "Service API keys": scope `admin` may call every admin route except API-key management;
 * any other caller is refused before anything changes. Each route below is called by nobody (401),
 * a regular user (403), an `introspect` key (403) and a revoked `admin` key (401), then by a live
 * `admin` key, whose changes the audit log puts on the key.
 */
describe('admin routes and service API keys', () => {
  let t: TestApp;
  let admin: SignedIn;
  let member: SignedIn;
  let adminKey: CreatedKey;
  let introspectKey: CreatedKey;
  let revokedKey: CreatedKey;
  const receiver = new WebhookReceiver();
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({
      ...usersEnv(adminEmail),
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_WORKER_INTERVAL_MS: '50',
    });
    admin = await signInByCode(t, adminEmail);
    member = await signInByCode(t);
    adminKey = await createApiKey(t, admin.access, ['admin']);
    introspectKey = await createApiKey(t, admin.access, ['introspect']);
    revokedKey = await createApiKey(t, admin.access, ['admin', 'introspect']);
    const revoked = await t.delete(`/api/admin/api-keys/${revokedKey.id}`, undefined, {
      token: admin.access,
    });
    if (revoked.status !== 204) throw new Error(`revoke answered ${revoked.status}`);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const send = (call: AdminCall, token?: string) =>
    t.request(call.method, call.path, call.body, { token });

  /** Every refusal, then the admin key's call, which must get the route's own answer. */
  async function asAdminKey(call: AdminCall): Promise<HttpResponse> {
    const refusals = [
      { token: undefined, status: 401, code: 'UNAUTHENTICATED' },
      { token: revokedKey.key, status: 401, code: 'UNAUTHENTICATED' },
      { token: member.access, status: 403, code: 'FORBIDDEN' },
      { token: introspectKey.key, status: 403, code: 'FORBIDDEN' },
    ];
    for (const refusal of refusals) {
      const res = await send(call, refusal.token);
      expect({
        route: `${call.method} ${call.path}`,
        status: res.status,
        code: res.body?.code,
      }).toEqual({
        route: `${call.method} ${call.path}`,
        status: refusal.status,
        code: refusal.code,
      });
    }
    const res = await send(call, adminKey.key);
    expect({ route: `${call.method} ${call.path}`, status: res.status, text: res.text }).toEqual({
      route: `${call.method} ${call.path}`,
      status: call.status,
      text: expect.any(String),
    });
    return res;
  }

  /** The audit row of `action` on `targetId`, read through the admin key. */
  async function auditRow(action: string, targetId: string): Promise<AuditRow> {
    await t.app.get(AuditService).flush();
    const query = new URLSearchParams({ action, target_id: targetId }).toString();
    const res = await t.get<{ data: AuditRow[] }>(`/api/admin/audit?${query}`, {
      token: adminKey.key,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    return res.body.data[0];
  }

  /** The key acted: no user, no session, but the request's address and id. */
  function expectKeyActed(row: AuditRow, response: HttpResponse): void {
    expect(row).toMatchObject({
      actor_type: 'api_key',
      actor_id: adminKey.id,
      session_id: null,
      ip: '127.0.0.1',
      request_id: response.headers.get('x-request-id'),
    });
  }

  it('GET /api/admin/audit', async () => {
    const res = await asAdminKey({ method: 'GET', path: '/api/admin/audit?limit=5', status: 200 });
    expect(res.body.data.length).toBeGreaterThan(0);
  });

  it("a user's sessions: list, end one, end all", async () => {
    const email = uniqueEmail('sessions');
    const first = await signInByCode(t, email);
    const second = await signInByCode(t, email);
    const base = `/api/admin/users/${first.id}/sessions`;

    const list = await asAdminKey({ method: 'GET', path: base, status: 200 });
    expect(list.body.data).toHaveLength(2);

    const sid = (claimsOf(first.access) as unknown as { sid: string }).sid;
    const one = await asAdminKey({ method: 'DELETE', path: `${base}/${sid}`, status: 204 });
    expect((await t.get('/api/users/me', { token: first.access })).status).toBe(401);
    expect((await t.get('/api/users/me', { token: second.access })).status).toBe(200);
    expectKeyActed(await auditRow('session.revoked', sid), one);

    await asAdminKey({ method: 'DELETE', path: base, status: 204 });
    expect((await t.get('/api/users/me', { token: second.access })).status).toBe(401);
  });

  it('ban and unban', async () => {
    const email = uniqueEmail('banned');
    const user = await signInByCode(t, email);
    const ban = await asAdminKey({
      method: 'POST',
      path: `/api/admin/users/${user.id}/ban`,
      body: { reason: 'Automated abuse report' },
      status: 200,
    });
    expect(ban.body).toMatchObject({ id: user.id, banned_until: '9999-12-31T23:59:59.000Z' });
    expect((await t.get('/api/users/me', { token: user.access })).status).toBe(401);
    expectKeyActed(await auditRow('user.banned', user.id), ban);

    const unban = await asAdminKey({
      method: 'POST',
      path: `/api/admin/users/${user.id}/unban`,
      status: 200,
    });
    expect(unban.body.banned_until).toBeNull();
    expectKeyActed(await auditRow('user.unbanned', user.id), unban);
    await signInByCode(t, email);
  });

  it('a key cannot ban the last active admin', async () => {
    // The key is no user: "yourself" cannot apply, and the last active admin stays protected.
    const res = await t.post(
      `/api/admin/users/${admin.id}/ban`,
      { reason: 'No' },
      { token: adminKey.key },
    );
    expect(res.status).toBe(400);
    expect((await t.get('/api/users/me', { token: admin.access })).status).toBe(200);
  });

  it('unlock password login', async () => {
    await asAdminKey({
      method: 'DELETE',
      path: `/api/admin/users/${member.id}/lockout`,
      status: 204,
    });
  });

  it('the mail outbox: list and retry', async () => {
    const email = uniqueEmail('outbox');
    expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
    const list = await asAdminKey({
      method: 'GET',
      path: `/api/admin/mail?to=${encodeURIComponent(email)}`,
      status: 200,
    });
    expect(list.body.data).toHaveLength(1);
    const id = (list.body.data[0] as { id: string }).id;
    // Test setup: a delivery that spent its attempts (no SMTP failure to provoke here).
    await t.app
      .get(DataSource)
      .query(
        `UPDATE mail_outbox SET status = 'failed', attempts = 5, last_error = 'boom' WHERE id = $1`,
        [id],
      );
    const retried = await asAdminKey({
      method: 'POST',
      path: `/api/admin/mail/${id}/retry`,
      status: 200,
    });
    expect(retried.body).toMatchObject({ id, status: 'queued' });
  });

  it('signing keys: list, create, activate, revoke', async () => {
    const base = '/api/admin/signing-keys';
    await asAdminKey({ method: 'GET', path: base, status: 200 });
    const created = await asAdminKey({ method: 'POST', path: base, body: {}, status: 201 });
    const kid = created.body.kid as string;
    expectKeyActed(await auditRow('signing_key.created', kid), created);
    const activated = await asAdminKey({
      method: 'POST',
      path: `${base}/${kid}/activate`,
      body: { force: true },
      status: 200,
    });
    expect(activated.body.status).toBe('active');
    expectKeyActed(await auditRow('signing_key.activated', kid), activated);

    const standby = await t.post(base, {}, { token: adminKey.key });
    const revoked = await asAdminKey({
      method: 'POST',
      path: `${base}/${standby.body.kid}/revoke`,
      status: 200,
    });
    expect(revoked.body.status).toBe('revoked');
    expectKeyActed(await auditRow('signing_key.revoked', standby.body.kid as string), revoked);
  });

  it('webhooks: create, list, read, change, rotate, test, deliveries, delete', async () => {
    const base = '/api/admin/webhooks';
    const created = await asAdminKey({
      method: 'POST',
      path: base,
      body: { url: `${receiver.url}/by-key`, events: ['user.banned'] },
      status: 201,
    });
    const id = created.body.id as string;
    expectKeyActed(await auditRow('webhook.created', id), created);
    await asAdminKey({ method: 'GET', path: base, status: 200 });
    await asAdminKey({ method: 'GET', path: `${base}/${id}`, status: 200 });
    const changed = await asAdminKey({
      method: 'PATCH',
      path: `${base}/${id}`,
      body: { description: 'Changed by a key' },
      status: 200,
    });
    expect(changed.body.description).toBe('Changed by a key');
    await asAdminKey({ method: 'POST', path: `${base}/${id}/rotate-secret`, status: 200 });
    await asAdminKey({ method: 'POST', path: `${base}/${id}/test`, status: 202 });
    await asAdminKey({ method: 'GET', path: `${base}/${id}/deliveries`, status: 200 });
    const removed = await asAdminKey({ method: 'DELETE', path: `${base}/${id}`, status: 204 });
    expectKeyActed(await auditRow('webhook.deleted', id), removed);
  });

  it('API-key management: admin users only, an admin key included gets 403', async () => {
    const calls: AdminCall[] = [
      { method: 'GET', path: '/api/admin/api-keys', status: 403 },
      {
        method: 'POST',
        path: '/api/admin/api-keys',
        body: { name: 'by-key', scopes: ['admin'] },
        status: 403,
      },
      { method: 'DELETE', path: `/api/admin/api-keys/${introspectKey.id}`, status: 403 },
    ];
    for (const call of calls) {
      const res = await asAdminKey(call);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect((await t.get('/api/admin/api-keys', { token: admin.access })).status).toBe(200);
    expect(
      (await t.delete(`/api/admin/api-keys/${NO_SUCH_ID}`, undefined, { token: admin.access }))
        .status,
    ).toBe(404);
  });
});
