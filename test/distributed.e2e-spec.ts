import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PgBouncer, RedisCluster, SentinelGroup, until } from './support/engines';
import { createTestDatabase, TestDatabase, withAdmin } from './support/database';
import { uniqueEmail } from './support/mailbox';
import { codeIn, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

/*
 * MailGuard on the engines large deployments run: a Redis Sentinel group, a Redis Cluster and
 * PgBouncer in transaction pooling mode, all started here from Debian's packages on free
 * loopback ports, in front of the PostgreSQL of DATABASE_URL. Three instances per setup.
 * Slow to start, so it runs only with DISTRIBUTED_ENGINES=1 (`.ci/run` runs it once).
 */
const serverUrl = process.env.DATABASE_URL;
const enabled = process.env.DISTRIBUTED_ENGINES === '1' && serverUrl !== undefined;

/** Connections per instance, and PgBouncer's server connections shared by all three. */
const INSTANCE_POOL_SIZE = 4;
const SERVER_POOL_SIZE = 4;
const OTP_LENGTH = 6;
/** Generous limits for a shared, loaded machine; not performance targets. */
const BOOT_TIMEOUT_MS = 180_000;
const FAILOVER_TIMEOUT_MS = 180_000;

interface Engines {
  env(): Record<string, string>;
  stop(): Promise<void>;
  /** Crashes the Redis node that holds data, and brings the setup back to health. */
  fail(): Promise<void>;
  recover(): Promise<void>;
}

const setups: [string, () => Promise<Engines>][] = [
  [
    'a Redis Sentinel group (1 master, 1 replica, 3 sentinels)',
    async () => {
      const group = await SentinelGroup.start();
      let oldMaster = 0;
      return {
        env: () => group.env(),
        stop: () => group.stop(),
        async fail() {
          oldMaster = await group.currentMasterPort();
          await group.master.kill();
        },
        // The sentinels promote the replica; nothing is restarted.
        recover: () =>
          until(
            'sentinels promoted the replica',
            async () => (await group.currentMasterPort()) !== oldMaster,
          ),
      };
    },
  ],
  [
    'a 3-master Redis Cluster',
    async () => {
      const cluster = await RedisCluster.start();
      return {
        env: () => cluster.env(),
        stop: () => cluster.stop(),
        fail: () => cluster.crash(0),
        recover: () => cluster.restart(0),
      };
    },
  ],
];

if (!enabled) {
  describe('distributed engines', () => {
    it.skip('skipped: set DISTRIBUTED_ENGINES=1 and DATABASE_URL (PostgreSQL) to run, as .ci/run does', () =>
      undefined);
  });
}

(enabled ? describe : describe.skip)('distributed engines', () => {
  const sink = new SmtpSink();
  let bouncer: PgBouncer;

  beforeAll(async () => {
    await sink.start();
    bouncer = await PgBouncer.start(serverUrl!, SERVER_POOL_SIZE);
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await bouncer?.stop();
    await sink.stop();
  });

  /** The newest code mailed to `email` once `count` mails have arrived. */
  async function codeFor(email: string, count = 1): Promise<string> {
    const mails = await sink.waitFor(email, count);
    return codeIn(mails[mails.length - 1].raw, OTP_LENGTH);
  }

  async function signIn(from: TestApp, to: TestApp) {
    const email = uniqueEmail('scale');
    const sent = await from.post('/api/users/get-otp/', { email });
    if (sent.status !== 200) throw new Error(`get-otp answered ${sent.status}`);
    const login = await to.post('/api/users/login/', { email, otp: await codeFor(email) });
    if (login.status !== 200) throw new Error(`login answered ${login.status}`);
    return login.body as { access: string; refresh: string };
  }

  /** An authenticated call that leaves the caller's own session alive. */
  const probe = (app: TestApp, access: string) =>
    app.post('/api/users/logout/', { scope: 'others' }, { token: access });

  describe.each(setups)('three instances on %s and PgBouncer', (_name, startEngines) => {
    let engines: Engines;
    let db: TestDatabase;
    let apps: TestApp[] = [];

    beforeAll(async () => {
      engines = await startEngines();
      db = await createTestDatabase('scale');
      const direct = db.env.DATABASE_URL;
      delete db.env.REDIS_URL;
      Object.assign(db.env, engines.env(), {
        DATABASE_URL: bouncer.url(direct),
        DATABASE_POOL_SIZE: String(INSTANCE_POOL_SIZE),
      });
      const env = {
        ...sink.env(),
        OTP_RESEND_SECONDS: '0',
        OTP_MAX_SENDS_PER_HOUR: '1000',
        JWT_REFRESH_REUSE_GRACE_SECONDS: '1',
        MAIL_WORKER_INTERVAL_MS: '50',
      };
      // Started together: their migrations race for the lock through PgBouncer.
      apps = await Promise.all([1, 2, 3].map(() => startTestApp(env, db)));
    }, BOOT_TIMEOUT_MS);
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()));
      await db?.drop();
      await engines?.stop();
    });

    const [a, b, c] = [0, 1, 2].map((i) => () => apps[i]);
    const each = <T>(i: number, f: (app: TestApp) => T): T => f(apps[i % 3]);

    it('applies each migration once though three instances started together', async () => {
      const files = readdirSync(join(__dirname, '..', 'migrations')).filter((f) =>
        f.endsWith('.ts'),
      );
      const rows = await withAdmin(new URL(db.env.DATABASE_URL).toString(), (client) =>
        client.query<{ name: string }>('SELECT name FROM migrations'),
      );
      expect(new Set(rows.rows.map((row) => row.name)).size).toBe(files.length);
      expect(rows.rows).toHaveLength(files.length);
      for (const app of apps) {
        const ready = await app.get('/api/health/ready');
        expect(ready.status).toBe(200);
        expect(ready.body.checks.cache.status).toBe('up');
        expect(ready.body.checks.database.pool).toMatchObject({
          size: INSTANCE_POOL_SIZE,
          saturated: false,
        });
      }
    });

    it('verifies on one instance a code requested on another', async () => {
      const email = uniqueEmail('scale');
      expect((await a().post('/api/users/get-otp/', { email })).status).toBe(200);
      const otp = await codeFor(email);
      expect((await c().post('/api/users/login/', { email, otp })).status).toBe(200);
    });

    it('caps wrong guesses spread over three instances at the attempt limit', async () => {
      const email = uniqueEmail('scale');
      await b().post('/api/users/get-otp/', { email });
      const otp = await codeFor(email);
      const wrong = otp === '999999' ? '999998' : '999999';
      const guesses = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          each(i, (app) => app.post('/api/users/login/', { email, otp: wrong })),
        ),
      );
      expect(guesses.map((res) => res.status)).toEqual(guesses.map(() => 400));
      expect((await a().post('/api/users/login/', { email, otp })).status).toBe(400);
    });

    it('gives exactly one success to right submissions spread over three instances', async () => {
      const email = uniqueEmail('scale');
      await c().post('/api/users/get-otp/', { email });
      const otp = await codeFor(email);
      const results = await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          each(i, (app) => app.post('/api/users/login/', { email, otp })),
        ),
      );
      expect(results.filter((res) => res.status === 200)).toHaveLength(1);
    });

    it('refuses on every instance a token logged out on one', async () => {
      const session = await signIn(a(), b());
      for (const app of apps) expect((await probe(app, session.access)).status).toBe(200);
      expect((await b().post('/api/users/logout/', {}, { token: session.access })).status).toBe(
        200,
      );
      for (const app of apps) expect((await probe(app, session.access)).status).toBe(401);
    });

    it('detects refresh token reuse across instances', async () => {
      const session = await signIn(b(), c());
      const rotated = await a().post('/api/users/token/refresh/', { refresh: session.refresh });
      expect(rotated.status).toBe(200);
      // Past JWT_REFRESH_REUSE_GRACE_SECONDS, the retired token is reuse.
      await new Promise((resolve) => setTimeout(resolve, 1300));
      const reused = await c().post('/api/users/token/refresh/', { refresh: session.refresh });
      expect(reused.status).toBe(401);
      expect(
        (await b().post('/api/users/token/refresh/', { refresh: rotated.body.refresh })).status,
      ).toBe(401);
    });

    it('delivers each outbox mail exactly once with three workers', async () => {
      const emails = Array.from({ length: 15 }, () => uniqueEmail('outbox'));
      await Promise.all(
        emails.map((email, i) => each(i, (app) => app.post('/api/users/get-otp/', { email }))),
      );
      for (const email of emails) await sink.waitFor(email);
      // Give a duplicate, if any, the time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const email of emails) {
        expect(sink.received.filter((mail) => mail.to.includes(email))).toHaveLength(1);
      }
    });

    it(
      'answers 503 or right while the Redis master fails, never a wrong answer, then works',
      async () => {
        const revoked = await signIn(a(), b());
        expect((await c().post('/api/users/logout/', {}, { token: revoked.access })).status).toBe(
          200,
        );
        const live = await signIn(c(), a());

        const seen: { what: string; status: number }[] = [];
        let running = true;
        const load = (async () => {
          for (let i = 0; running; i++) {
            const [gone, alive, sent] = await Promise.all([
              each(i, (app) => probe(app, revoked.access)),
              each(i + 1, (app) => probe(app, live.access)),
              each(i + 2, (app) => app.post('/api/users/get-otp/', { email: uniqueEmail('load') })),
            ]);
            seen.push(
              { what: 'revoked', status: gone.status },
              { what: 'live', status: alive.status },
              { what: 'get-otp', status: sent.status },
            );
          }
        })();

        await engines.fail();
        await until(
          'an instance notices the failure',
          () => Promise.resolve(seen.some((answer) => answer.status === 503)),
          10_000,
        ).catch(() => undefined);
        await engines.recover();
        for (const app of apps) {
          await until(
            'instance ready again',
            async () => (await app.get('/api/health/ready')).status === 200,
          );
          await until(
            'instance sends codes again',
            async () =>
              (await app.post('/api/users/get-otp/', { email: uniqueEmail('after') })).status ===
              200,
          );
        }
        running = false;
        await load;

        const allowed: Record<string, number[]> = {
          revoked: [401, 503],
          live: [200, 503],
          'get-otp': [200, 503],
        };
        const wrong = seen.filter((answer) => !allowed[answer.what].includes(answer.status));
        expect(wrong).toEqual([]);

        // Afterwards everything works, and the revocation held (the database is the truth).
        for (const app of apps) {
          expect((await probe(app, revoked.access)).status).toBe(401);
          expect((await probe(app, live.access)).status).toBe(200);
        }
        const again = await signIn(b(), c());
        expect((await probe(a(), again.access)).status).toBe(200);
      },
      FAILOVER_TIMEOUT_MS,
    );
  });
});
