import { createClient } from '@redis/client';
import { uniqueEmail, waitForCode } from './support/mailbox';
import { codeIn, SmtpSink } from './support/smtp-sink';
import { createTestDatabase, TestDatabase } from './support/database';
import { startTestApp, TestApp } from './support/test-app';
import { signInByCode } from './support/auth';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
// A Redis database of its own, so this suite can flush it without touching other suites' keys.
const ISOLATED_REDIS_DB = 13;

function isolatedRedisUrl(): string {
  const url = new URL(redisUrl!);
  url.pathname = `/${ISOLATED_REDIS_DB}`;
  return url.toString();
}

(databaseUrl && redisUrl ? describe : describe.skip)(
  'two instances on one PostgreSQL and one Redis',
  () => {
    let db: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    const env = {
      OTP_RESEND_SECONDS: '0',
      OTP_MAX_SENDS_PER_HOUR: '1000',
      JWT_REFRESH_REUSE_GRACE_SECONDS: '1',
      MAIL_WORKER_INTERVAL_MS: '50',
    };

    beforeAll(async () => {
      db = await createTestDatabase();
      db.env.REDIS_URL = isolatedRedisUrl();
      a = await startTestApp(env, db);
      b = await startTestApp(env, db);
    });
    afterAll(async () => {
      await a.close();
      await b.close();
      await db.drop();
    });

    /** An authenticated call that leaves the caller's own session alive. */
    const probe = (app: TestApp, access: string) =>
      app.post('/api/users/logout/', { scope: 'others' }, { token: access });

    it('verifies on one instance a code requested on the other', async () => {
      const email = uniqueEmail();
      expect((await a.post('/api/users/get-otp/', { email })).status).toBe(200);
      const otp = await waitForCode(b, email);
      expect((await b.post('/api/users/login/', { email, otp })).status).toBe(200);
    });

    it('caps 50 wrong guesses split across both instances at the attempt limit', async () => {
      const email = uniqueEmail();
      await a.post('/api/users/get-otp/', { email });
      const otp = await waitForCode(a, email);
      const wrong = otp === '999999' ? '999998' : '999999';
      const guesses = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 ? a : b).post('/api/users/login/', { email, otp: wrong }),
        ),
      );
      expect(guesses.every((res) => res.status === 400)).toBe(true);
      expect((await b.post('/api/users/login/', { email, otp })).status).toBe(400);
    });

    it('gives exactly one success to 20 right submissions split across both', async () => {
      const email = uniqueEmail();
      await b.post('/api/users/get-otp/', { email });
      const otp = await waitForCode(b, email);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).post('/api/users/login/', { email, otp }),
        ),
      );
      expect(results.filter((res) => res.status === 200)).toHaveLength(1);
    });

    it('refuses on the other instance, at once, a token logged out on one', async () => {
      const session = await signInByCode(a);
      expect((await probe(b, session.access)).status).toBe(200);
      expect((await a.post('/api/users/logout/', {}, { token: session.access })).status).toBe(200);
      expect((await probe(b, session.access)).status).toBe(401);
    });

    it('detects refresh token reuse across instances', async () => {
      const session = await signInByCode(a);
      const rotated = await a.post('/api/users/token/refresh/', { refresh: session.refresh });
      expect(rotated.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1300));
      expect((await b.post('/api/users/token/refresh/', { refresh: session.refresh })).status).toBe(
        401,
      );
      expect(
        (await a.post('/api/users/token/refresh/', { refresh: rotated.body.refresh })).status,
      ).toBe(401);
      expect((await probe(a, rotated.body.access)).status).toBe(401);
    });

    it('keeps revocations and live sessions right after the cache is flushed', async () => {
      const revoked = await signInByCode(a);
      const live = await signInByCode(b);
      expect((await probe(a, revoked.access)).status).toBe(200);
      expect((await probe(b, live.access)).status).toBe(200);
      expect((await b.post('/api/users/logout/', {}, { token: revoked.access })).status).toBe(200);

      const redis = createClient({ url: isolatedRedisUrl() });
      await redis.connect();
      await redis.flushDb();
      await redis.close();

      expect((await probe(a, revoked.access)).status).toBe(401);
      expect((await probe(b, revoked.access)).status).toBe(401);
      expect((await probe(a, live.access)).status).toBe(200);
      expect((await probe(b, live.access)).status).toBe(200);
    });
  },
);

(databaseUrl && redisUrl ? describe : describe.skip)('two outbox workers on one database', () => {
  const sink = new SmtpSink();
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    await sink.start();
    db = await createTestDatabase();
    const env = { ...sink.env(), MAIL_WORKER_INTERVAL_MS: '50' };
    a = await startTestApp(env, db);
    b = await startTestApp(env, db);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
    await sink.stop();
  });

  it('delivers each mail exactly once with both workers running', async () => {
    const emails = Array.from({ length: 30 }, () => uniqueEmail('outbox'));
    await Promise.all(
      emails.map((email, i) => (i % 2 ? a : b).post('/api/users/get-otp/', { email })),
    );
    for (const email of emails) await sink.waitFor(email);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const email of emails) {
      const mails = sink.received.filter((mail) => mail.to.includes(email));
      expect(mails).toHaveLength(1);
      expect(codeIn(mails[0].raw, 6)).toMatch(/^\d{6}$/);
    }
  });
});
