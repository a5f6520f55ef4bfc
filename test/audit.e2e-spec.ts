import { DataSource } from 'typeorm';
import { AuditRetentionService } from '../src/audit/audit-retention.service';
import { AuditService } from '../src/audit/audit.service';
import { claimsOf, PASSWORD, SignedIn, signInByCode, signUpWithPassword } from './support/auth';
import { mailsTo, uniqueEmail, waitForCode } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, NO_SUCH_ID, usersEnv } from './support/users';

interface AuditEventBody {
  id: string;
  occurred_at: string;
  action: string;
  outcome: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  session_id: string | null;
  metadata: Record<string, unknown>;
}

interface AuditPage {
  data: AuditEventBody[];
  next_cursor: string | null;
}

/** API.md "Audit log": one row per action, its queries, and what never enters it. */
describe('audit log', () => {
  let t: TestApp;
  let admin: SignedIn;
  const adminEmail = uniqueEmail('admin');
  /** Every secret a test handles: none may ever appear in the table. */
  const secrets = new Set<string>([PASSWORD]);

  const keep = (...values: (string | undefined | null)[]) =>
    values.forEach((value) => value && secrets.add(value));

  /** Batched events (failures, code mails) reach the table within a second; tests do not wait. */
  const flush = () => t.app.get(AuditService).flush();

  async function audit(query: Record<string, string>, token = admin.access): Promise<AuditPage> {
    await flush();
    const res = await t.get<AuditPage>(
      `/api/admin/audit?${new URLSearchParams(query).toString()}`,
      {
        token,
      },
    );
    if (res.status !== 200) throw new Error(`audit answered ${res.status}: ${res.text}`);
    return res.body;
  }

  async function signIn(email = uniqueEmail()): Promise<SignedIn> {
    const signed = await signInByCode(t, email);
    keep(signed.access, signed.refresh, (await mailsTo(t, email))[0]?.code);
    return signed;
  }

  beforeAll(async () => {
    t = await startTestApp({
      ...usersEnv(adminEmail),
      ACCOUNT_LOCK_THRESHOLD: '3',
      JWT_REFRESH_REUSE_GRACE_SECONDS: '0',
    });
    admin = await signIn(adminEmail);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('routes refuse', () => {
    const routes: [string, string][] = [
      ['GET', '/api/admin/audit'],
      ['GET', `/api/admin/users/${NO_SUCH_ID}/sessions`],
      ['DELETE', `/api/admin/users/${NO_SUCH_ID}/sessions/${NO_SUCH_ID}`],
      ['DELETE', `/api/admin/users/${NO_SUCH_ID}/sessions`],
      ['POST', `/api/admin/users/${NO_SUCH_ID}/ban`],
      ['POST', `/api/admin/users/${NO_SUCH_ID}/unban`],
    ];
    it.each(routes)('%s %s: 401 without a token, 403 for a regular user', async (method, path) => {
      const body = method === 'POST' ? { reason: 'x' } : undefined;
      expect((await t.request(method, path, body)).status).toBe(401);
      const user = await signIn();
      const res = await t.request(method, path, body, { token: user.access });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    });

    it('GET /api/users/me/activity: 401 without a token', async () => {
      expect((await t.get('/api/users/me/activity')).status).toBe(401);
    });
  });

  it('a code login writes code.sent and login.succeeded with the new session and the request id', async () => {
    const email = uniqueEmail();
    await t.post('/api/users/get-otp/', { email });
    const otp = await waitForCode(t, email);
    keep(otp);
    const login = await t.post('/api/users/login/', { email, otp });
    expect(login.status).toBe(200);
    keep(login.body.access, login.body.refresh);
    const { sub, sid } = claimsOf(login.body.access) as unknown as { sub: string; sid: string };
    const succeeded = (await audit({ action: 'login.succeeded', target_id: sub })).data;
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]).toMatchObject({
      outcome: 'success',
      actor_type: 'user',
      actor_id: sub,
      target_type: 'user',
      session_id: sid,
      ip: '127.0.0.1',
      request_id: login.headers.get('x-request-id'),
      metadata: { method: 'code' },
    });
    const sent = (await audit({ action: 'code.sent', email })).data;
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent[0].metadata).toMatchObject({ purpose: 'login' });
    expect(JSON.stringify(sent)).not.toContain(email);
  });

  it('a failed login of an unknown email carries only a keyed hash, and the email filter finds it', async () => {
    const email = uniqueEmail('ghost');
    const res = await t.post('/api/users/login/', { email, password: 'Wrong-password-1!' });
    expect(res.status).toBe(400);
    const failed = (await audit({ action: 'login.failed', email })).data;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      outcome: 'failure',
      actor_type: 'anonymous',
      actor_id: null,
      metadata: { method: 'password' },
    });
    expect(failed[0].metadata.email_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(failed[0])).not.toContain(email);
    expect(JSON.stringify(failed[0])).not.toContain('Wrong-password');
  });

  it('a batch of buffered events keeps every value exactly (quotes, backslashes, braces, NULL, accents)', async () => {
    const agents = [
      'quote " and \\ backslash',
      '{braces, commas}',
      'NULL',
      // Header values are Latin-1 on the wire.
      "it's ünïcödé",
    ];
    const emails = agents.map((_, i) => uniqueEmail(`batch${i}`));
    // Sent together, so the failures reach one buffered insert.
    await Promise.all(
      emails.map((email, i) =>
        t.post(
          '/api/users/login/',
          { email, password: 'Wrong-password-1!' },
          { headers: { 'user-agent': agents[i] } },
        ),
      ),
    );
    for (const [i, email] of emails.entries()) {
      const [event] = (await audit({ action: 'login.failed', email })).data;
      expect(event.user_agent).toBe(agents[i]);
      expect(event.metadata).toMatchObject({ method: 'password' });
      expect(event.actor_id).toBeNull();
    }
  });

  it('sign-ins sent together (one statement, one commit) each get their own account, session and rows', async () => {
    const existing = await signIn();
    // The admin last: the one staff account of the statement must get the only admin token.
    const emails = [
      existing.email,
      ...[0, 1, 2, 3, 4].map((i) => uniqueEmail(`together${i}`)),
      adminEmail,
    ];
    const createdRows = async (id: string) =>
      (await audit({ action: 'user.created', target_id: id })).data.length;
    const createdBefore = new Map([
      [existing.id, await createdRows(existing.id)],
      [admin.id, await createdRows(admin.id)],
    ]);
    const codes: string[] = [];
    for (const email of emails) {
      const before = (await mailsTo(t, email)).length;
      await t.post('/api/users/get-otp/', { email });
      codes.push(await waitForCode(t, email, before));
    }
    const logins = await Promise.all(
      emails.map((email, i) =>
        t.post(
          '/api/users/login/',
          { email, otp: codes[i] },
          { headers: { 'user-agent': `ua-${i}` } },
        ),
      ),
    );
    for (const [i, login] of logins.entries()) {
      expect(login.status).toBe(200);
      keep(login.body.access, login.body.refresh, codes[i]);
      const { sub, sid, role } = claimsOf(login.body.access) as unknown as {
        sub: string;
        sid: string;
        role: string;
      };
      expect(role).toBe(emails[i] === adminEmail ? 'admin' : 'user');
      const me = await t.get('/api/users/me', { token: login.body.access });
      expect(me.body).toMatchObject({ id: sub, email: emails[i] });
      if (i === 0) expect(sub).toBe(existing.id);
      const sessions = await t.get('/api/users/me/sessions', { token: login.body.access });
      expect(sessions.body.data).toContainEqual(
        expect.objectContaining({ id: sid, current: true, user_agent: `ua-${i}` }),
      );
      const succeeded = (await audit({ action: 'login.succeeded', actor_id: sub })).data;
      expect(succeeded.filter((e) => e.session_id === sid)).toEqual([
        expect.objectContaining({ target_id: sub, user_agent: `ua-${i}` }),
      ]);
      // The new accounts were created by that statement; the existing ones were not created again.
      expect(await createdRows(sub)).toBe(createdBefore.get(sub) ?? 1);
      const refreshed = await t.post('/api/users/token/refresh/', { refresh: login.body.refresh });
      expect(refreshed.status).toBe(200);
      expect(claimsOf(refreshed.body.access as string)).toMatchObject({ sub, sid });
    }
  });

  it('password logins sent together (queued for argon2id, their lookups and sign-ins shared) each get their own session; a wrong password is refused alone', async () => {
    const accounts = [];
    for (const i of [0, 1, 2]) {
      const email = uniqueEmail(`pw-together${i}`);
      const user = await signUpWithPassword(t, email);
      keep(user.access, user.refresh);
      accounts.push({ email, id: user.id });
    }
    // More logins than cores: they wait for argon2id, so lookups and sign-ins may share statements.
    const attempts = [...accounts, ...accounts].map((account, i) => ({
      ...account,
      password: PASSWORD,
      agent: `pw-ua-${i}`,
    }));
    attempts.push({ ...accounts[0], password: 'Wrong-password-1!', agent: 'pw-ua-wrong' });
    const answers = await Promise.all(
      attempts.map(({ email, password, agent }) =>
        t.post('/api/users/login/', { email, password }, { headers: { 'user-agent': agent } }),
      ),
    );
    const sids = new Set<string>();
    for (const [i, answer] of answers.entries()) {
      const attempt = attempts[i];
      if (attempt.password !== PASSWORD) {
        expect(answer.status).toBe(400);
        continue;
      }
      expect(answer.status).toBe(200);
      keep(answer.body.access, answer.body.refresh);
      const { sub, sid } = claimsOf(answer.body.access) as unknown as { sub: string; sid: string };
      expect(sub).toBe(attempt.id);
      sids.add(sid);
      const me = await t.get('/api/users/me', { token: answer.body.access });
      expect(me.body).toMatchObject({ id: attempt.id, email: attempt.email });
      const sessions = await t.get('/api/users/me/sessions', { token: answer.body.access });
      expect(sessions.body.data).toContainEqual(
        expect.objectContaining({ id: sid, current: true, user_agent: attempt.agent }),
      );
      const succeeded = (await audit({ action: 'login.succeeded', actor_id: sub })).data;
      expect(succeeded.filter((e) => e.session_id === sid)).toEqual([
        expect.objectContaining({ target_id: sub, user_agent: attempt.agent }),
      ]);
    }
    expect(sids.size).toBe(6);
  });

  it('registration, password change, logout and session-list delete each write their row', async () => {
    const email = uniqueEmail('reg');
    const user = await signUpWithPassword(t, email);
    keep(user.access, user.refresh);
    const mine = async (action: string) =>
      (await audit({ action, target_id: user.id })).data.concat(
        (await audit({ action, actor_id: user.id })).data.filter((e) => e.target_id !== user.id),
      );
    expect(await mine('registration.completed')).toHaveLength(1);
    expect(await mine('user.created')).toHaveLength(1);

    const changed = await t.post(
      '/api/users/me/password',
      { current_password: PASSWORD, new_password: 'An0ther-Secret-2026!' },
      { token: user.access },
    );
    keep('An0ther-Secret-2026!');
    expect(changed.status).toBe(200);
    const rows = await mine('password.changed');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: user.id, outcome: 'success' });

    const second = await signIn(email);
    const sessions = await t.get('/api/users/me/sessions', { token: second.access });
    const other = (sessions.body.data as { id: string; current: boolean }[]).find(
      (s) => !s.current,
    );
    expect(other).toBeDefined();
    {
      expect(
        (await t.delete(`/api/users/me/sessions/${other!.id}`, undefined, { token: second.access }))
          .status,
      ).toBe(204);
    }
    expect((await t.post('/api/users/logout/', {}, { token: second.access })).status).toBe(200);
    const revoked = (await audit({ action: 'session.revoked', actor_id: user.id })).data;
    expect(revoked.length).toBe(2);
    expect(revoked[0]).toMatchObject({
      actor_type: 'user',
      target_type: 'session',
      target_id: claimsOf(second.access)['sid' as 'sub'],
      metadata: { reason: 'logout' },
    });
  });

  it('admin changes write user.updated (field names), user.deleted and user.restored with the admin as actor', async () => {
    const made = await createUser(t, admin.access);
    expect((await audit({ action: 'user.created', target_id: made.id })).data[0]).toMatchObject({
      actor_type: 'admin',
      actor_id: admin.id,
    });
    await t.patch(
      `/api/users/${made.id}`,
      { city: 'Pune', full_name: 'X Y' },
      { token: admin.access },
    );
    const updated = (await audit({ action: 'user.updated', target_id: made.id })).data;
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({ actor_type: 'admin', actor_id: admin.id });
    expect((updated[0].metadata.fields as string[]).sort()).toEqual(['city', 'full_name']);
    expect(
      (await t.delete(`/api/users/${made.id}`, undefined, { token: admin.access })).status,
    ).toBe(200);
    expect(
      (await t.post(`/api/users/${made.id}/restore`, {}, { token: admin.access })).status,
    ).toBe(200);
    for (const action of ['user.deleted', 'user.restored'])
      expect((await audit({ action, target_id: made.id })).data).toHaveLength(1);
  });

  it('pages newest first with a cursor that neither repeats nor skips while events are added', async () => {
    const user = await signIn();
    for (let i = 0; i < 4; i += 1)
      await t.patch('/api/users/me', { city: `City${i}` }, { token: user.access });
    const first = await audit({ actor_id: user.id, limit: '2' });
    expect(first.data).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    // Added while paging: newer, so before the first page, never in the next ones.
    await t.patch('/api/users/me', { city: 'Later' }, { token: user.access });
    const seen = [...first.data];
    let cursor = first.next_cursor;
    while (cursor) {
      const page = await audit({ actor_id: user.id, limit: '2', cursor });
      seen.push(...page.data);
      cursor = page.next_cursor;
    }
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = (await audit({ actor_id: user.id, limit: '500' })).data;
    expect(all.slice(1).map((e) => e.id)).toEqual(ids);
    const times = all.map((e) => e.occurred_at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('refuses a bad limit, time or cursor with 400', async () => {
    for (const query of ['limit=501', 'limit=0', 'from=yesterday', 'to=2026-13-45', 'cursor=abc'])
      expect((await t.get(`/api/admin/audit?${query}`, { token: admin.access })).status).toBe(400);
  });

  it('GET /api/users/me/activity shows the caller its own events only', async () => {
    const user = await signIn();
    await signIn();
    const res = await t.get<AuditPage>('/api/users/me/activity', { token: user.access });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    for (const event of res.body.data) expect([event.actor_id, event.target_id]).toContain(user.id);
  });

  describe('admin operations', () => {
    it("lists a user's sessions, ends one, then all; their tokens die at once", async () => {
      const email = uniqueEmail('sess');
      const a = await signIn(email);
      const b = await signIn(email);
      const list = await t.get(`/api/admin/users/${a.id}/sessions`, { token: admin.access });
      expect(list.status).toBe(200);
      expect(list.body.data).toHaveLength(2);
      expect(Object.keys(list.body.data[0]).sort()).toEqual(
        ['created_at', 'id', 'ip', 'last_used_at', 'user_agent'].sort(),
      );
      const sidA = (claimsOf(a.access) as unknown as { sid: string }).sid;
      expect(
        (
          await t.delete(`/api/admin/users/${a.id}/sessions/${sidA}`, undefined, {
            token: admin.access,
          })
        ).status,
      ).toBe(204);
      expect((await t.get('/api/users/me', { token: a.access })).status).toBe(401);
      expect((await t.get('/api/users/me', { token: b.access })).status).toBe(200);
      expect(
        (
          await t.delete(`/api/admin/users/${a.id}/sessions/${sidA}`, undefined, {
            token: admin.access,
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await t.delete(`/api/admin/users/${admin.id}/sessions/${sidA}`, undefined, {
            token: admin.access,
          })
        ).status,
      ).toBe(404);
      expect(
        (await t.delete(`/api/admin/users/${a.id}/sessions`, undefined, { token: admin.access }))
          .status,
      ).toBe(204);
      expect((await t.get('/api/users/me', { token: b.access })).status).toBe(401);
      expect(
        (await t.get(`/api/admin/users/${NO_SUCH_ID}/sessions`, { token: admin.access })).status,
      ).toBe(404);
      const revoked = (await audit({ action: 'session.revoked', actor_id: admin.id })).data.filter(
        (e) => e.metadata.user_id === a.id,
      );
      expect(revoked).toHaveLength(2);
      expect(revoked[0]).toMatchObject({ actor_type: 'admin', metadata: { reason: 'admin' } });
    });

    it('a ban ends sessions, answers like an inactive account, shows banned_until, and unban lifts it', async () => {
      const email = uniqueEmail('banned');
      const user = await signIn(email);
      const ban = await t.post(
        `/api/admin/users/${user.id}/ban`,
        { reason: 'Testing bans' },
        { token: admin.access },
      );
      expect(ban.status).toBe(200);
      expect(ban.body).toMatchObject({ id: user.id, banned_until: '9999-12-31T23:59:59.000Z' });
      expect(ban.body).not.toHaveProperty('ban_reason');
      expect((await t.get('/api/users/me', { token: user.access })).status).toBe(401);
      expect((await t.post('/api/users/token/refresh/', { refresh: user.refresh })).status).toBe(
        401,
      );
      // No code mail, and the answer of an unknown email.
      const before = (await mailsTo(t, email)).length;
      const asked = await t.post('/api/users/get-otp/', { email });
      const unknown = await t.post('/api/users/get-otp/', { email: uniqueEmail('nobody') });
      expect(asked.status).toBe(unknown.status);
      expect(asked.body).toEqual(unknown.body);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await mailsTo(t, email)).length).toBe(before);
      const row = (await audit({ action: 'user.banned', target_id: user.id })).data[0];
      expect(row).toMatchObject({ actor_type: 'admin', actor_id: admin.id });

      const shown = await t.get(`/api/users/${user.id}`, { token: admin.access });
      expect(shown.body.banned_until).toBe('9999-12-31T23:59:59.000Z');
      const unban = await t.post(`/api/admin/users/${user.id}/unban`, {}, { token: admin.access });
      expect(unban.status).toBe(200);
      expect(unban.body.banned_until).toBeNull();
      await signIn(email);
      expect((await audit({ action: 'user.unbanned', target_id: user.id })).data).toHaveLength(1);
    });

    it('a ban with an end time ends by itself', async () => {
      const email = uniqueEmail('short');
      const user = await signIn(email);
      const until = new Date(Date.now() + 1500).toISOString();
      const ban = await t.post(
        `/api/admin/users/${user.id}/ban`,
        { reason: 'Short', until },
        { token: admin.access },
      );
      expect(ban.body.banned_until).toBe(until);
      await t.app
        .get(DataSource)
        .query(`UPDATE users SET banned_until = now() - interval '1 second' WHERE id = $1`, [
          user.id,
        ]);
      await signIn(email);
    });

    it('refuses a bad ban: no reason, a past until, yourself, an unknown id', async () => {
      const user = await signIn();
      const path = `/api/admin/users/${user.id}/ban`;
      expect((await t.post(path, {}, { token: admin.access })).status).toBe(400);
      expect((await t.post(path, { reason: '' }, { token: admin.access })).status).toBe(400);
      expect(
        (await t.post(path, { reason: 'x'.repeat(501) }, { token: admin.access })).status,
      ).toBe(400);
      expect(
        (
          await t.post(
            path,
            { reason: 'x', until: '2020-01-01T00:00:00Z' },
            { token: admin.access },
          )
        ).status,
      ).toBe(400);
      expect(
        (await t.post(`/api/admin/users/${admin.id}/ban`, { reason: 'x' }, { token: admin.access }))
          .status,
      ).toBe(400);
      expect(
        (
          await t.post(
            `/api/admin/users/${NO_SUCH_ID}/ban`,
            { reason: 'x' },
            { token: admin.access },
          )
        ).status,
      ).toBe(404);
    });
  });

  describe('mail outbox (admin)', () => {
    it('lists mails without bodies, filtered and paged; retries only a failed one', async () => {
      const email = uniqueEmail('mail');
      for (let i = 0; i < 3; i += 1) await t.post('/api/users/get-otp/', { email });
      const list = await t.get(`/api/admin/mail?to=${encodeURIComponent(email)}&limit=2`, {
        token: admin.access,
      });
      expect(list.status).toBe(200);
      expect(list.body.data).toHaveLength(2);
      expect(Object.keys(list.body.data[0]).sort()).toEqual(
        [
          'attempts',
          'created_at',
          'id',
          'last_error',
          'locale',
          'sent_at',
          'status',
          'template',
          'to',
        ].sort(),
      );
      const next = await t.get(
        `/api/admin/mail?to=${encodeURIComponent(email)}&limit=2&cursor=${list.body.next_cursor}`,
        { token: admin.access },
      );
      expect(next.body.data).toHaveLength(1);
      expect(next.body.next_cursor).toBeNull();
      const ids = [...list.body.data, ...next.body.data].map((m: { id: string }) => m.id);
      expect(new Set(ids).size).toBe(3);

      // Wait until the worker is done with them, so it cannot race the setup below.
      for (let delivered = 0; delivered < 3;) {
        const page = await t.get(`/api/admin/mail?status=sent&to=${encodeURIComponent(email)}`, {
          token: admin.access,
        });
        delivered = (page.body as { data: unknown[] }).data.length;
        if (delivered < 3) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Test setup: a delivery that spent its attempts (no SMTP failure to provoke here).
      const [failed, expired, sent] = ids;
      const db = t.app.get(DataSource);
      await db.query(
        `UPDATE mail_outbox SET status = 'failed', attempts = 5, last_error = 'boom' WHERE id = $1`,
        [failed],
      );
      await db.query(
        `UPDATE mail_outbox SET status = 'failed', expires_at = now() - interval '1 minute' WHERE id = $1`,
        [expired],
      );
      const onlyFailed = await t.get(
        `/api/admin/mail?status=failed&to=${encodeURIComponent(email)}`,
        {
          token: admin.access,
        },
      );
      expect((onlyFailed.body as { data: { id: string }[] }).data.map((m) => m.id).sort()).toEqual(
        [failed, expired].sort(),
      );
      const retried = await t.post(`/api/admin/mail/${failed}/retry`, {}, { token: admin.access });
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ id: failed, status: 'queued', attempts: 0 });
      expect(
        (await t.post(`/api/admin/mail/${expired}/retry`, {}, { token: admin.access })).status,
      ).toBe(409);
      expect(
        (await t.post(`/api/admin/mail/${sent}/retry`, {}, { token: admin.access })).status,
      ).toBe(409);
      expect(
        (await t.post(`/api/admin/mail/${NO_SUCH_ID}/retry`, {}, { token: admin.access })).status,
      ).toBe(404);
      expect((await t.get('/api/admin/mail?status=bogus', { token: admin.access })).status).toBe(
        400,
      );
      const user = await signIn();
      expect((await t.get('/api/admin/mail', { token: user.access })).status).toBe(403);
      expect((await t.get('/api/admin/mail')).status).toBe(401);
    });
  });

  describe('the actions the flows above do not reach', () => {
    it('refresh.reuse_detected (denied) when a rotated refresh token comes back', async () => {
      const user = await signIn();
      const rotated = await t.post('/api/users/token/refresh/', { refresh: user.refresh });
      expect(rotated.status).toBe(200);
      keep(rotated.body.access, rotated.body.refresh);
      expect((await t.post('/api/users/token/refresh/', { refresh: user.refresh })).status).toBe(
        401,
      );
      const rows = (await audit({ action: 'refresh.reuse_detected', actor_id: user.id })).data;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        outcome: 'denied',
        actor_type: 'user',
        target_type: 'session',
        target_id: (claimsOf(user.access) as unknown as { sid: string }).sid,
      });
    });

    it('email.changed: the user acts on themself, with the confirming request and its session, and no address, code or token', async () => {
      const user = await signIn(uniqueEmail('oldaddr'));
      await signIn(user.email);
      const newEmail = uniqueEmail('newaddr');
      const beforeOld = (await mailsTo(t, user.email)).length;
      const asked = await t.post(
        '/api/users/me/email-change',
        { new_email: newEmail },
        { token: user.access },
      );
      expect(asked.status).toBe(202);
      const codes = {
        current_code: await waitForCode(t, user.email, beforeOld),
        new_code: await waitForCode(t, newEmail),
      };
      keep(codes.current_code, codes.new_code);
      const confirmed = await t.post('/api/users/me/email-change/confirm', codes, {
        token: user.access,
      });
      expect(confirmed.status).toBe(200);
      keep(confirmed.body.access, confirmed.body.refresh);
      const requestId = confirmed.headers.get('x-request-id');
      expect(requestId).toBeTruthy();

      const rows = (await audit({ action: 'email.changed', target_id: user.id })).data;
      expect(rows).toHaveLength(1);
      const expected = {
        action: 'email.changed',
        outcome: 'success',
        actor_type: 'user',
        actor_id: user.id,
        target_type: 'user',
        target_id: user.id,
        request_id: requestId,
        // The session the change was made with (API.md), not the new one it answered with.
        session_id: (claimsOf(user.access) as unknown as { sid: string }).sid,
        // What the service writes: how many sessions the change ended (both of the user's).
        metadata: { sessions_ended: 2 },
      };
      expect(rows[0]).toMatchObject(expected);
      expect(rows[0].metadata).toEqual(expected.metadata);
      const text = JSON.stringify(rows[0]);
      const tokens = [user.access, user.refresh, confirmed.body.access, confirmed.body.refresh];
      for (const value of [user.email, newEmail, ...tokens]) expect(text).not.toContain(value);
      // A 6-digit code may turn up inside a uuid by chance; alone it must not.
      for (const code of Object.values(codes))
        expect(text).not.toMatch(new RegExp(`(?<![0-9a-f])${code}(?![0-9a-f])`));

      // The session the confirm opened is a sign-in of its own, named by the new tokens.
      const newSession = (claimsOf(confirmed.body.access) as unknown as { sid: string }).sid;
      const logins = (await audit({ action: 'login.succeeded', target_id: user.id })).data;
      const opened = logins.filter((row) => row.session_id === newSession);
      expect(opened).toHaveLength(1);
      expect(opened[0]).toMatchObject({
        outcome: 'success',
        actor_type: 'user',
        actor_id: user.id,
        request_id: requestId,
        metadata: { method: 'email_change' },
      });

      const activity = await t.get<AuditPage>('/api/users/me/activity', {
        token: confirmed.body.access,
      });
      expect(activity.status).toBe(200);
      const own = activity.body.data.filter((event) => event.action === 'email.changed');
      expect(own).toEqual([rows[0]]);
    });

    it('password.reset: a wrong code fails with only a keyed hash, the right one succeeds', async () => {
      const { email, id } = await signUpWithPassword(t, uniqueEmail('reset'), PASSWORD);
      const before = (await mailsTo(t, email)).length;
      expect((await t.post('/api/users/forgot-password/', { email })).status).toBe(200);
      const otp = await waitForCode(t, email, before);
      keep(otp);
      const wrong = otp === '000000' ? '111111' : '000000';
      const body = { email, new_password: 'n3w-Reset!pass-2026' };
      keep(body.new_password);
      expect((await t.post('/api/users/reset-password/', { ...body, otp: wrong })).status).toBe(
        400,
      );
      const failed = (await audit({ action: 'password.reset', outcome: 'failure', email })).data;
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ actor_type: 'anonymous', actor_id: null });
      expect(failed[0].metadata.email_hash).toEqual(expect.any(String));
      expect((await t.post('/api/users/reset-password/', { ...body, otp })).status).toBe(200);
      const done = (await audit({ action: 'password.reset', outcome: 'success', target_id: id }))
        .data;
      expect(done).toHaveLength(1);
      expect(done[0]).toMatchObject({ actor_type: 'user', actor_id: id });
    });

    it('account.locked after ACCOUNT_LOCK_THRESHOLD failures; account.unlocked by an admin', async () => {
      const { email, id } = await signUpWithPassword(t, uniqueEmail('locked'), PASSWORD);
      for (let i = 0; i < 3; i += 1)
        expect(
          (await t.post('/api/users/login/', { email, password: 'wrong-Pa55word!' })).status,
        ).toBe(400);
      const locked = (await audit({ action: 'account.locked', target_id: id })).data;
      expect(locked).toHaveLength(1);
      expect(locked[0]).toMatchObject({ actor_type: 'system', metadata: { failures: 3 } });
      expect(
        (await t.delete(`/api/admin/users/${id}/lockout`, undefined, { token: admin.access }))
          .status,
      ).toBe(204);
      const unlocked = (await audit({ action: 'account.unlocked', target_id: id })).data;
      expect(unlocked).toHaveLength(1);
      expect(unlocked[0]).toMatchObject({
        actor_type: 'admin',
        actor_id: admin.id,
        metadata: { by: 'admin' },
      });
    });

    it('api_key.created and api_key.revoked name the key, never show it', async () => {
      const created = await t.post(
        '/api/admin/api-keys',
        { name: 'audited', scopes: ['introspect'] },
        { token: admin.access },
      );
      expect(created.status).toBe(201);
      keep(created.body.key, (created.body.key as string).slice(4));
      const id = created.body.id as string;
      expect(
        (await t.delete(`/api/admin/api-keys/${id}`, undefined, { token: admin.access })).status,
      ).toBe(204);
      for (const action of ['api_key.created', 'api_key.revoked']) {
        const rows = (await audit({ action, target_id: id })).data;
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          actor_type: 'admin',
          actor_id: admin.id,
          target_type: 'api_key',
          metadata: { name: 'audited', scopes: ['introspect'] },
        });
      }
    });

    it('webhook.updated with the names of the changed fields', async () => {
      const created = await t.post(
        '/api/admin/webhooks',
        { url: 'https://hooks.example.com/mailguard', events: ['account.locked'] },
        { token: admin.access },
      );
      expect(created.status).toBe(201);
      keep(created.body.secret);
      const id = created.body.id as string;
      const changed = await t.patch(
        `/api/admin/webhooks/${id}`,
        { enabled: false, description: 'Paused' },
        { token: admin.access },
      );
      expect(changed.status).toBe(200);
      const rows = (await audit({ action: 'webhook.updated', target_id: id })).data;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_type: 'admin', target_type: 'webhook' });
      expect((rows[0].metadata.fields as string[]).sort()).toEqual(['description', 'enabled']);
    });
  });

  it('the retention job removes events older than AUDIT_RETENTION_DAYS only', async () => {
    const dataSource = t.app.get(DataSource);
    await dataSource.query(
      `INSERT INTO audit_events (action, outcome, actor_type, occurred_at)
       VALUES ('code.sent', 'success', 'system', now() - interval '401 days'),
              ('code.sent', 'success', 'system', now() - interval '399 days')`,
    );
    expect(await t.app.get(AuditRetentionService).purge()).toBe(1);
    const [{ old }] = await dataSource.query<{ old: number }[]>(
      `SELECT count(*)::int AS old FROM audit_events WHERE occurred_at < now() - interval '398 days'`,
    );
    expect(old).toBe(1);
  });

  it('no code, password, token or email address ever enters the table', async () => {
    await flush();
    const rows = await t.app.get(DataSource).query('SELECT * FROM audit_events');
    const text = JSON.stringify(rows);
    expect(rows.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      // A 6-digit code may turn up inside a hex hash or a uuid by chance; alone it must not.
      if (/^\d+$/.test(secret))
        expect(text).not.toMatch(new RegExp(`(?<![0-9a-f])${secret}(?![0-9a-f])`));
      else expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/@example\.|argon|\$2[aby]\$/);
  });
});

describe('audit log behind a trusted proxy (TRUST_PROXY=1)', () => {
  let t: TestApp;
  let admin: SignedIn;
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    t = await startTestApp({ ...usersEnv(adminEmail), TRUST_PROXY: '1' });
    admin = await signInByCode(t, adminEmail);
  });
  afterAll(async () => {
    await t.close();
  });

  it("records the client's address the rate limiter uses, and the ip filter finds it", async () => {
    const email = uniqueEmail('proxied');
    const res = await t.post(
      '/api/users/login/',
      { email, password: 'Wrong-password-1!' },
      { headers: { 'x-forwarded-for': '203.0.113.77' } },
    );
    expect(res.status).toBe(400);
    await t.app.get(AuditService).flush();
    const page = await t.get<AuditPage>('/api/admin/audit?ip=203.0.113.77', {
      token: admin.access,
    });
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.data[0]).toMatchObject({ action: 'login.failed', ip: '203.0.113.77' });
  });
});
