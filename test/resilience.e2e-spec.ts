import { uniqueEmail } from './support/mailbox';
import { TcpProxy } from './support/tcp-proxy';
import { createTestDatabase, TestDatabase } from './support/database';
import { startTestApp, TestApp } from './support/test-app';
import { sleep } from './support/auth';

const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(200);
  }
}

(redisUrl ? describe : describe.skip)('Redis outage', () => {
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    const target = new URL(redisUrl!);
    proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    t = await startTestApp({ REDIS_URL: proxy.url(redisUrl!) });
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
  });

  it('answers code routes with 503 while Redis is away, turns unready, and recovers by itself', async () => {
    expect((await t.post('/api/users/get-otp/', { email: uniqueEmail() })).status).toBe(200);
    await proxy.stop();

    const started = Date.now();
    const refused = await t.post('/api/users/get-otp/', { email: uniqueEmail() });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(3000);
    const login = await t.post('/api/users/login/', { email: uniqueEmail(), otp: '123456' });
    expect(login.status).toBe(503);

    const ready = await t.get('/api/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.message).toContain('cache');
    expect(ready.body.checks.cache.status).toBe('down');
    expect((await t.get('/api/health')).status).toBe(200);

    await proxy.start();
    await eventually(async () => (await t.get('/api/health/ready')).status === 200);
    expect((await t.post('/api/users/get-otp/', { email: uniqueEmail() })).status).toBe(200);
  });
});

(databaseUrl ? describe : describe.skip)('PostgreSQL restart under load', () => {
  let proxy: TcpProxy;
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.env.DATABASE_URL);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    t = await startTestApp({ DATABASE_URL: proxy.url(db.env.DATABASE_URL) }, db);
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
    await db.drop();
  });

  it('keeps running, answers 503 during the outage and recovers afterwards', async () => {
    const statuses: number[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        const res = await t.post('/api/users/get-otp/', { email: uniqueEmail() });
        statuses.push(res.status);
      }
    })();

    await sleep(300);
    await proxy.stop();
    await sleep(1500);
    const during = await t.get('/api/health/ready');
    expect(during.status).toBe(503);
    expect(during.body.checks.database.status).toBe('down');
    expect((await t.get('/api/health')).status).toBe(200);

    await proxy.start();
    await eventually(async () => (await t.get('/api/health/ready')).status === 200);
    await eventually(
      async () => (await t.post('/api/users/get-otp/', { email: uniqueEmail() })).status === 200,
    );
    running = false;
    await load;

    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect([...new Set(statuses)].sort()).toEqual([200, 503]);
  });
});
