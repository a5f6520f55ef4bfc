import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';

describe('foundation: HTTP pipeline, health, docs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://app.example.com' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers liveness and readiness with the database and cache checked', async () => {
    const live = await t.get('/api/health');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });

    const ready = await t.get('/api/health/ready/');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, cache: { status: 'up' } },
    });
  });

  it('accepts a trailing slash or none', async () => {
    expect((await t.get('/api/health/')).status).toBe(200);
    expect((await t.get('/api/health/ready')).status).toBe(200);
  });

  it('sends security headers and no X-Powered-By', async () => {
    const res = await t.get('/api/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
  });

  it('answers unknown routes with the common error shape', async () => {
    const res = await t.get('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'NOT_FOUND',
      message: 'Not found.',
    });
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await t.request('OPTIONS', '/api/health', undefined, {
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    for (const method of ['PATCH', 'DELETE']) {
      const preflight = await t.request('OPTIONS', '/api/users/me', undefined, {
        headers: { origin: 'https://app.example.com', 'access-control-request-method': method },
      });
      expect(preflight.headers.get('access-control-allow-methods')).toContain(method);
    }
    const simple = await t.get('/api/health', { headers: { origin: 'https://app.example.com' } });
    expect(simple.headers.get('access-control-expose-headers')).toMatch(
      /^Retry-After,\s*X-Request-Id$/,
    );
    const refused = await t.get('/api/health', { headers: { origin: 'https://evil.example.com' } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves Swagger UI and the OpenAPI document', async () => {
    const ui = await t.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const doc = await t.get('/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/api/health/ready');
  });

  it('never interleaves concurrent transactions on the database', async () => {
    const dataSource = t.app.get(DataSource);
    // The suite's database is thrown away afterwards, so a scratch table is harmless.
    await dataSource.query('CREATE TABLE acct (id int PRIMARY KEY, balance int NOT NULL)');
    await dataSource.query('INSERT INTO acct SELECT g, 100 FROM generate_series(1, 10) g');
    const transfers = Array.from({ length: 100 }, (_, i) =>
      dataSource
        .transaction(async (manager) => {
          const from = (i % 10) + 1;
          const to = ((i * 7) % 10) + 1;
          // Lock both rows in id order so PostgreSQL never has to break a deadlock.
          await manager.query('SELECT id FROM acct WHERE id IN ($1, $2) ORDER BY id FOR UPDATE', [
            from,
            to,
          ]);
          const [row] = await manager.query('SELECT balance FROM acct WHERE id = $1', [from]);
          await manager.query('UPDATE acct SET balance = $1 WHERE id = $2', [
            row.balance - 1,
            from,
          ]);
          await new Promise((resolve) => setTimeout(resolve, 1));
          if (i % 9 === 0) throw new Error('rolled back on purpose');
          await manager.query('UPDATE acct SET balance = balance + 1 WHERE id = $1', [to]);
        })
        .then(
          () => 'committed',
          () => 'rolled back',
        ),
    );
    const outcomes = await Promise.all(transfers);
    expect(outcomes.filter((o) => o === 'rolled back')).toHaveLength(12);
    const [{ total }] = await dataSource.query('SELECT sum(balance)::int AS total FROM acct');
    expect(total).toBe(1000);
  });
});
