import { Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { getDataSourceToken, getRepositoryToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../test/support/database';
import { SecretConfig, secretConfig } from '../config/secret.config';
import { buildDataSourceOptions } from '../database/data-source-options';
import { PreparedQueries } from '../database/prepared-queries';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrationsOnStart } from '../database/run-migrations';
import { EventsService } from '../events/events.service';
import { AuthEventsService } from '../observability/auth-events.service';
import { generatePrivateKey } from '../keys/jws';
import { KeyringService } from '../keys/keyring.service';
import { AccessTokenService } from './access-token.service';
import { AuthConfig, authConfig } from './auth.config';
import { Session } from './entities/session.entity';
import { SessionStatusService } from './session-status.service';
import { IssuedTokens, SessionsService } from './sessions.service';

/**
 * SessionsService over a real, migrated database (PGlite in a temp folder, or a throwaway
 * database on DATABASE_URL's server) with the clock faked: only `Date` is replaced, so the
 * database driver's own timers keep running while the tests move time by hours in one step.
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const config: AuthConfig = {
  accessTtlSeconds: 900,
  refreshTtlSeconds: HOUR / SECOND, // idle limit
  refreshMaxTtlSeconds: (3 * HOUR) / SECOND, // absolute limit
  clockToleranceSeconds: 0,
  reuseGraceSeconds: 10,
  issuer: 'mailguard',
  audience: 'mailguard-api',
};
const secret: SecretConfig = { key: 'k'.repeat(40), generated: false };
const signer = { alg: 'ES256', kid: 'test-key', key: generatePrivateKey('ES256') };
const client = { ip: '203.0.113.7', userAgent: 'spec' };

const INVALID_REFRESH = {
  name: 'AppException',
  status: 401,
  code: 'TOKEN_INVALID',
  message: 'Invalid or expired refresh token.',
};

describe('SessionsService', () => {
  let database: TestDatabase;
  let embedded: EmbeddedPostgres | undefined;
  let dataSource: DataSource;
  let sessions: SessionsService;
  const status = { markRevoked: jest.fn((_ids: string[]) => Promise.resolve()) };
  const events = { refreshReuse: jest.fn() };
  const domainEvents = {
    record: jest.fn(() => Promise.resolve()),
  };

  beforeAll(async () => {
    Logger.overrideLogger(['error', 'warn']); // no "applied migration" lines in the test output
    database = await createTestDatabase('unit');
    const serverUrl = database.env.DATABASE_URL;
    if (!serverUrl) embedded = await startEmbeddedPostgres(database.env.DATA_DIR);
    dataSource = await new DataSource(
      buildDataSourceOptions(serverUrl ?? embedded!.url, !serverUrl),
    ).initialize();
    await runMigrationsOnStart(dataSource, { embedded: !serverUrl });
    const moduleRef = await Test.createTestingModule({
      providers: [
        SessionsService,
        AccessTokenService,
        JwtService,
        PreparedQueries,
        { provide: getDataSourceToken(), useValue: dataSource },
        { provide: getRepositoryToken(Session), useValue: dataSource.getRepository(Session) },
        { provide: SessionStatusService, useValue: status },
        { provide: AuthEventsService, useValue: events },
        { provide: EventsService, useValue: domainEvents },
        { provide: authConfig.KEY, useValue: config },
        { provide: secretConfig.KEY, useValue: secret },
        { provide: KeyringService, useValue: { activeSigner: () => signer } },
      ],
    }).compile();
    sessions = moduleRef.get(SessionsService);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await embedded?.stop();
    await database?.drop();
  });

  beforeEach(() => {
    jest.useFakeTimers({
      now: new Date('2026-03-01T09:00:00Z'),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    status.markRevoked.mockClear();
    events.refreshReuse.mockClear();
  });
  afterEach(() => jest.useRealTimers());

  /** Moves the faked clock on; only `Date` is fake, so nothing else fires. */
  const after = (ms: number) => jest.setSystemTime(Date.now() + ms);

  let users = 0;
  async function newUser(): Promise<string> {
    users += 1;
    const [row] = await dataSource.query<{ id: string }[]>(
      'INSERT INTO users (email) VALUES ($1) RETURNING id',
      [`sessions-spec-${users}@example.com`],
    );
    return row.id;
  }

  /** A sign-in has just proved who the user is (outside any caller's transaction here). */
  const open = (userId: string) => sessions.open(userId, false, client, dataSource.manager);

  async function signedIn(): Promise<IssuedTokens> {
    return open(await newUser());
  }

  describe('rotation', () => {
    it('trades a live refresh token for a new pair of the same session, again and again', async () => {
      const first = await signedIn();
      expect(first.refresh).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      after(MINUTE);
      const second = await sessions.rotate(first.refresh, client);
      expect(second).toEqual({
        sessionId: first.sessionId,
        userId: first.userId,
        access: expect.any(String),
        refresh: expect.any(String),
        expiresIn: 900,
      });
      expect(second.refresh).not.toBe(first.refresh);
      expect(second.access).not.toBe(first.access);
      after(MINUTE);
      const third = await sessions.rotate(second.refresh, client);
      expect(third.sessionId).toBe(first.sessionId);
      expect(events.refreshReuse).not.toHaveBeenCalled();
      expect(status.markRevoked).not.toHaveBeenCalled();
    });

    it('rotates refreshes sent together in one statement, each in its own session; a token sent twice wins once', async () => {
      const pairs = await Promise.all([1, 2, 3, 4, 5].map(() => signedIn()));
      const twice = await signedIn();
      after(MINUTE);
      // The first goes alone; the others wait for it and share the next statement.
      const results = await Promise.allSettled([
        sessions.rotate((await signedIn()).refresh, client),
        ...pairs.map((pair) => sessions.rotate(pair.refresh, client)),
        sessions.rotate(twice.refresh, client),
        sessions.rotate(twice.refresh, client),
        sessions.rotate('never-issued', client),
      ]);
      const [, ...rest] = results;
      for (const [i, pair] of pairs.entries())
        expect(rest[i]).toEqual({
          status: 'fulfilled',
          value: expect.objectContaining({ sessionId: pair.sessionId, userId: pair.userId }),
        });
      const sameToken = rest.slice(5, 7);
      expect(sameToken.filter((r) => r.status === 'fulfilled')).toEqual([
        { status: 'fulfilled', value: expect.objectContaining({ sessionId: twice.sessionId }) },
      ]);
      expect(sameToken.filter((r) => r.status === 'rejected')).toEqual([
        { status: 'rejected', reason: expect.objectContaining(INVALID_REFRESH) },
      ]);
      expect(rest[7]).toEqual({
        status: 'rejected',
        reason: expect.objectContaining(INVALID_REFRESH),
      });
      // Each new refresh token belongs to its own session and rotates again.
      for (const result of rest.slice(0, 7))
        if (result.status === 'fulfilled') {
          const again = await sessions.rotate(result.value.refresh, client);
          expect(again.sessionId).toBe(result.value.sessionId);
        }
      expect(status.markRevoked).not.toHaveBeenCalled();
    });

    it('refuses a token it never issued', async () => {
      await expect(sessions.rotate('never-issued', client)).rejects.toMatchObject(INVALID_REFRESH);
      expect(events.refreshReuse).not.toHaveBeenCalled();
    });
  });

  describe('the grace window (JWT_REFRESH_REUSE_GRACE_SECONDS)', () => {
    it('refuses the just-retired token within the window and changes nothing', async () => {
      const first = await signedIn();
      const second = await sessions.rotate(first.refresh, client);
      after(config.reuseGraceSeconds * SECOND - 1);
      await expect(sessions.rotate(first.refresh, client)).rejects.toMatchObject(INVALID_REFRESH);
      expect(events.refreshReuse).not.toHaveBeenCalled();
      expect(status.markRevoked).not.toHaveBeenCalled();
      // The session goes on with the token that won.
      const third = await sessions.rotate(second.refresh, client);
      expect(third.sessionId).toBe(first.sessionId);
    });

    it('treats a token retired before the latest rotation as reuse, even within the window', async () => {
      const first = await signedIn();
      after(SECOND);
      const second = await sessions.rotate(first.refresh, client);
      after(SECOND);
      await sessions.rotate(second.refresh, client);
      await expect(sessions.rotate(first.refresh, client)).rejects.toMatchObject(INVALID_REFRESH);
      expect(status.markRevoked).toHaveBeenCalledWith([first.sessionId]);
    });
  });

  describe('reuse after the grace window', () => {
    it('revokes the whole session: the retired token and its successor are both refused', async () => {
      const first = await signedIn();
      const second = await sessions.rotate(first.refresh, client);
      after(config.reuseGraceSeconds * SECOND + 1);
      await expect(sessions.rotate(first.refresh, client)).rejects.toMatchObject(INVALID_REFRESH);
      expect(events.refreshReuse).toHaveBeenCalledTimes(1);
      expect(events.refreshReuse).toHaveBeenCalledWith({
        sessionId: first.sessionId,
        userId: first.userId,
        ip: client.ip,
      });
      expect(status.markRevoked).toHaveBeenCalledWith([first.sessionId]);
      await expect(sessions.rotate(second.refresh, client)).rejects.toMatchObject(INVALID_REFRESH);
      // A second replay finds the session already over: nothing more to revoke or report.
      await expect(sessions.rotate(first.refresh, client)).rejects.toMatchObject(INVALID_REFRESH);
      expect(events.refreshReuse).toHaveBeenCalledTimes(1);
    });

    it("leaves the user's other sessions alone", async () => {
      const userId = await newUser();
      const reused = await open(userId);
      const other = await open(userId);
      await sessions.rotate(reused.refresh, client);
      after(config.reuseGraceSeconds * SECOND + 1);
      await expect(sessions.rotate(reused.refresh, client)).rejects.toMatchObject(INVALID_REFRESH);
      await expect(sessions.rotate(other.refresh, client)).resolves.toMatchObject({
        sessionId: other.sessionId,
      });
    });
  });

  describe('idle and absolute limits', () => {
    it('refuses a refresh token left unused for JWT_REFRESH_TTL, and each refresh moves that limit on', async () => {
      const first = await signedIn();
      after(HOUR - SECOND);
      const second = await sessions.rotate(first.refresh, client);
      after(2 * SECOND); // past the first idle limit, within the one the refresh set
      const third = await sessions.rotate(second.refresh, client);
      after(HOUR); // exactly the idle limit, still before the absolute one
      await expect(sessions.rotate(third.refresh, client)).rejects.toMatchObject(INVALID_REFRESH);
      // Expiry is not reuse: nothing is revoked or reported.
      expect(events.refreshReuse).not.toHaveBeenCalled();
      expect(status.markRevoked).not.toHaveBeenCalled();
    });

    it('ends a session at JWT_REFRESH_MAX_TTL however often it is refreshed', async () => {
      let tokens = await signedIn();
      const opened = Date.now();
      while (Date.now() - opened < 3 * HOUR - 20 * MINUTE) {
        after(20 * MINUTE);
        tokens = await sessions.rotate(tokens.refresh, client);
      }
      // The last refresh could not move the idle limit past the absolute one.
      jest.setSystemTime(opened + 3 * HOUR);
      await expect(sessions.rotate(tokens.refresh, client)).rejects.toMatchObject(INVALID_REFRESH);
      expect(events.refreshReuse).not.toHaveBeenCalled();
    });
  });

  describe('revocation', () => {
    it('ends the named sessions once, publishes them, and their tokens stop refreshing', async () => {
      const a = await signedIn();
      const b = await signedIn();
      expect(await sessions.revoke([a.sessionId, b.sessionId], 'logout')).toBe(2);
      expect(status.markRevoked).toHaveBeenCalledWith(
        expect.arrayContaining([a.sessionId, b.sessionId]),
      );
      expect(await sessions.revoke([a.sessionId], 'logout')).toBe(0);
      expect(await sessions.revoke([], 'logout')).toBe(0);
      await expect(sessions.rotate(a.refresh, client)).rejects.toMatchObject(INVALID_REFRESH);
      await expect(sessions.rotate(b.refresh, client)).rejects.toMatchObject(INVALID_REFRESH);
    });

    it("ends every session of a user but the one kept, and no one else's", async () => {
      const userId = await newUser();
      const kept = await open(userId);
      const ended = [await open(userId), await open(userId)];
      const stranger = await signedIn();
      expect(await sessions.revokeAllForUser(userId, 'user_request', kept.sessionId)).toBe(2);
      for (const session of ended)
        await expect(sessions.rotate(session.refresh, client)).rejects.toMatchObject(
          INVALID_REFRESH,
        );
      await expect(sessions.rotate(kept.refresh, client)).resolves.toBeDefined();
      await expect(sessions.rotate(stranger.refresh, client)).resolves.toBeDefined();
      expect(await sessions.revokeAllForUser(userId, 'logout')).toBe(1);
    });

    it("names a refresh token's session only to the user it belongs to", async () => {
      const mine = await signedIn();
      const someoneElse = await newUser();
      expect(await sessions.sessionOfRefreshToken(mine.refresh, mine.userId)).toBe(mine.sessionId);
      expect(await sessions.sessionOfRefreshToken(mine.refresh, someoneElse)).toBeNull();
      expect(await sessions.sessionOfRefreshToken('never-issued', mine.userId)).toBeNull();
    });
  });
});
