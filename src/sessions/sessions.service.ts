import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull, Not, Repository } from 'typeorm';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { deriveKey, hmacHex } from '../common/secrets';
import { authConfig, AuthConfig } from './auth.config';
import { secretConfig, SecretConfig } from '../config/secret.config';
import { DomainEvent, EventActor, EventContext } from '../events/domain-event';
import { PreparedQueries } from '../database/prepared-queries';
import { columnArrays } from '../database/unnest-insert';
import { Batcher } from '../common/background/batcher';
import { EventsService } from '../events/events.service';
import { AuthEventsService } from '../observability/auth-events.service';
import { AccessTokenService } from './access-token.service';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { SessionStatusService } from './session-status.service';
import { signInOrigin, SignInOrigin } from './sign-in-origin';

export interface IssuedTokens {
  sessionId: string;
  userId: string;
  access: string;
  refresh: string;
  expiresIn: number;
}

/** A session opened by a sign-in, and whether it came from somewhere new for the account. */
export interface SignInTokens extends IssuedTokens {
  /**
   * True when the account had sessions before and none of them, used in the last 90 days, came
   * from this network (IPv4 /24, IPv6 /48) with this browser family.
   */
  unfamiliar: boolean;
  origin: SignInOrigin;
}

/**
 * The users module's step of the sign-in statement: CTEs over `signing_in (n, user_id, is_new,
 * email, locale)`, one row per sign-in, ending in `account`: the users rows (as the step leaves
 * them) of the sign-ins that may go ahead. `user(row)` is the user object as SQL json over such a
 * row (for the sign-ins' webhook deliveries).
 */
export interface SignInStep {
  sql: string;
  user: (row: string) => string;
}

/** A sign-in to open a session for: the account (`isNew`: created by the statement itself). */
export interface SignInRequest {
  userId: string;
  isNew: boolean;
  email: string;
  locale: string | null;
  client: ClientInfo;
  /** The events the sign-in records, written only when its session opens. */
  events: (sessionId: string) => DomainEvent[];
  /** How long the sign-in may wait for others to share its statement (Batcher.add). */
  lingerMs?: number;
}

export type RevokeReason =
  | 'logout'
  | 'refresh_reuse'
  | 'password_reset'
  | 'password_change'
  | 'account_change'
  | 'deactivated'
  | 'user_request'
  | 'admin'
  | 'banned';

const INVALID_REFRESH = 'Invalid or expired refresh token.';

// Rotation in plain statements: six round trips where the repository calls took nine, and no
// query building on a path every client takes every few minutes.
const TOKEN_SESSION = `SELECT session_id AS "sessionId" FROM refresh_tokens WHERE token_hash = $1`;

const LOCK_SESSION = `
  SELECT user_id AS "userId", is_staff AS "isStaff", revoked_at AS "revokedAt", rotated_at AS "rotatedAt",
         idle_expires_at AS "idleExpiresAt", absolute_expires_at AS "absoluteExpiresAt"
  FROM sessions WHERE id = $1 FOR UPDATE`;

const TOKEN_UNDER_LOCK = `SELECT retired_at AS "retiredAt" FROM refresh_tokens WHERE token_hash = $1`;

/**
 * A session of user $1 and its first refresh token in one statement, so never one without the
 * other. Parameters $2–$10 as openParameters() orders them ($8, $9: the origin's network and
 * browser; $10: the new session's id), $11: whether the user is staff.
 */
const OPEN = `
  WITH session AS (
    INSERT INTO sessions (id, user_id, ip, user_agent, last_used_at, idle_expires_at, absolute_expires_at, is_staff, network, browser)
    VALUES ($10, $1, $2, $3, $4, $5, $6, $11, $8, $9) RETURNING id)
  INSERT INTO refresh_tokens (token_hash, session_id) SELECT $7, id FROM session
  RETURNING session_id AS id`;

/** The sign-ins of one statement, one row each, numbered `n` (as SessionsService.openBatch orders them). */
const SIGNING_IN = `signing_in AS (
    SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::timestamptz[],
                         $5::timestamptz[], $6::timestamptz[], $7::varchar[], $8::varchar[],
                         $9::varchar[], $10::uuid[], $11::boolean[], $12::varchar[], $13::varchar[])
      WITH ORDINALITY AS s(user_id, ip, user_agent, used_at, idle_expires_at, absolute_expires_at,
                           token_hash, network, browser, session_id, is_new, email, locale, n))`;
const SIGNING_IN_PARAMETERS = 13;

/**
 * Follows the users module's `account`: each sign-in whose account may sign in opens its session
 * and first refresh token, and learns whether its origin is new (SignInTokens.unfamiliar) from the
 * sessions as they were before this statement: two EXISTS probes on the user's sessions that stop
 * at the first match (a known origin is the common case). Sessions from before origins were kept
 * (browser null) count as none.
 */
const OPEN_SESSIONS = `,
  opened AS (
    SELECT s.n, s.session_id, s.user_id, s.ip, s.user_agent, s.used_at, s.idle_expires_at,
           s.absolute_expires_at, s.token_hash, s.network, s.browser, account.is_staff,
           EXISTS (SELECT 1 FROM sessions x WHERE x.user_id = s.user_id AND x.browser IS NOT NULL) AS earlier,
           EXISTS (SELECT 1 FROM sessions x
                   WHERE x.user_id = s.user_id AND x.network IS NOT DISTINCT FROM s.network
                     AND x.browser = s.browser AND x.last_used_at > now() - interval '90 days') AS seen
    FROM signing_in s JOIN account ON account.id = s.user_id),
  session AS (
    INSERT INTO sessions (id, user_id, ip, user_agent, last_used_at, idle_expires_at, absolute_expires_at, is_staff, network, browser)
    SELECT session_id, user_id, ip, user_agent, used_at, idle_expires_at, absolute_expires_at, is_staff, network, browser
    FROM opened),
  token AS (INSERT INTO refresh_tokens (token_hash, session_id) SELECT token_hash, session_id FROM opened)`;
const OPENED = `
  SELECT n::int AS n, is_staff AS "isStaff", earlier AND NOT seen AS unfamiliar FROM opened`;

// 50 connections' worth: a sign-in or refresh waits at most for one statement of this size.
const SIGN_IN_BATCH = 64;
const ROTATION_BATCH = 64;

/** A sign-in as the statement takes it: its signing_in row (SIGNING_IN's order) and events. */
interface PendingSignIn {
  row: unknown[];
  events: DomainEvent[];
}

interface OpenedSession {
  isStaff: boolean;
  unfamiliar: boolean;
}

/** Retires the presented token, moves the session on and adds its successor, in one statement. */
const ROTATE = `
  WITH retired AS (UPDATE refresh_tokens SET retired_at = $2 WHERE token_hash = $1),
       moved AS (
         UPDATE sessions
         SET rotated_at = $2, last_used_at = $2, idle_expires_at = $4, ip = $5, user_agent = $6
         WHERE id = $3)
  INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($7, $3)`;

/**
 * The common case, for all the refreshes that arrive while the previous statement runs (group
 * commit), in one autocommitted statement: each current token of a live session is retired, its
 * session moved on and the successor added. The token's row lock orders concurrent uses of one
 * token (the second re-reads `retired_at` and updates nothing; within one statement a token is
 * updated once, for one of its requests); the session's row lock orders it with a revocation
 * (re-checked under the lock). A request without a row is not the common case: the locked
 * transaction below decides between invalid, the grace window and reuse.
 */
const ROTATE_CURRENT = `
  WITH presented AS (
         SELECT * FROM unnest($1::varchar[], $2::timestamptz[], $3::timestamptz[], $4::varchar[],
                              $5::varchar[], $6::varchar[])
           WITH ORDINALITY AS p(token_hash, now, idle_expires_at, ip, user_agent, successor, n)),
       retired AS (
         UPDATE refresh_tokens t SET retired_at = p.now
         FROM presented p, sessions s
         WHERE t.token_hash = p.token_hash AND t.retired_at IS NULL AND s.id = t.session_id
           AND s.revoked_at IS NULL AND s.idle_expires_at > p.now AND s.absolute_expires_at > p.now
         RETURNING t.session_id, p.n),
       moved AS (
         UPDATE sessions
         SET rotated_at = p.now, last_used_at = p.now,
             idle_expires_at = LEAST(p.idle_expires_at, sessions.absolute_expires_at),
             ip = p.ip, user_agent = p.user_agent
         FROM retired r JOIN presented p ON p.n = r.n
         WHERE sessions.id = r.session_id AND sessions.revoked_at IS NULL
           AND sessions.idle_expires_at > p.now AND sessions.absolute_expires_at > p.now
         RETURNING sessions.id, sessions.user_id, sessions.is_staff, p.n, p.successor),
       added AS (INSERT INTO refresh_tokens (token_hash, session_id) SELECT successor, id FROM moved)
  SELECT n::int AS n, id AS "sessionId", user_id AS "userId", is_staff AS "isStaff" FROM moved`;
const ROTATE_CURRENT_PARAMETERS = 6;

interface Rotated {
  sessionId: string;
  userId: string;
  isStaff: boolean;
}

const LIVE_REFRESH = `
  SELECT s.id AS "sessionId", s.user_id AS "userId", s.is_staff AS "isStaff",
         LEAST(s.idle_expires_at, s.absolute_expires_at) AS "expiresAt"
  FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
  WHERE t.token_hash = $1 AND t.retired_at IS NULL AND s.revoked_at IS NULL
    AND s.idle_expires_at > now() AND s.absolute_expires_at > now()`;

export interface LiveRefreshToken {
  sessionId: string;
  userId: string;
  isStaff: boolean;
  expiresAt: Date;
}

/** Who ends sessions, for their `session.revoked` events (logout, session list, an admin). */
export interface RevokedBy {
  actor: EventActor;
  context?: EventContext;
}

interface EndedSession {
  id: string;
  user_id: string;
  ip: string | null;
  user_agent: string | null;
}

type LockedSession = Pick<
  Session,
  'userId' | 'isStaff' | 'revokedAt' | 'rotatedAt' | 'idleExpiresAt' | 'absoluteExpiresAt'
>;

interface TokenUnderLock {
  retiredAt: Date | null;
}

/** Opens sessions, rotates their refresh tokens (detecting reuse) and revokes them. */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  private readonly refreshKey: Buffer;
  /** Refreshes of the common case, several per statement and commit. */
  private readonly rotations = new Batcher<unknown[], Rotated | null>(
    (rows) => this.rotateAll(rows),
    ROTATION_BATCH,
  );
  /** One group commit per users step (in practice one: the users module's sign-in step). */
  private readonly openers = new Map<SignInStep, Batcher<PendingSignIn, OpenedSession | null>>();

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly prepared: PreparedQueries,
    private readonly accessTokens: AccessTokenService,
    private readonly status: SessionStatusService,
    private readonly events: AuthEventsService,
    private readonly domainEvents: EventsService,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    @Inject(secretConfig.KEY) secret: SecretConfig,
  ) {
    this.refreshKey = deriveKey(secret.key, 'refresh-token');
  }

  /**
   * Opens a session for a user who just proved who they are, inside the caller's transaction
   * (a confirmed registration, whose account that transaction has just created).
   */
  async open(
    userId: string,
    isStaff: boolean,
    client: ClientInfo,
    manager: EntityManager,
  ): Promise<IssuedTokens> {
    const refresh = randomBytes(32).toString('base64url');
    const [row] = await manager.query<{ id: string }[]>(OPEN, [
      ...this.openParameters(userId, client, refresh),
      isStaff,
    ]);
    return this.tokens(row.id, userId, isStaff, refresh);
  }

  /**
   * Opens a session for a sign-in in the statement that records it: `step` (the users module's)
   * updates or creates the account and yields it only while it may sign in; the session, its first
   * refresh token and the sign-in's events (audit rows, webhook deliveries) are written only then.
   * One statement and one commit serve all the sign-ins that arrive while the previous one runs
   * (group commit); each answers once its own rows are durable. The step's row lock orders a
   * sign-in with a concurrent deactivation, which then ends this session too. Null when the
   * account may no longer sign in, or (a new account) its address was taken a moment ago.
   */
  async openAfter(step: SignInStep, request: SignInRequest): Promise<SignInTokens | null> {
    const { client } = request;
    const refresh = randomBytes(32).toString('base64url');
    const sessionId = randomUUID();
    const origin = signInOrigin(client.ip, client.userAgent);
    const opened = await this.openerFor(step).add(
      {
        row: [
          ...this.openParameters(request.userId, client, refresh, sessionId, origin),
          request.isNew,
          request.isNew ? request.email : null,
          request.isNew ? request.locale : null,
        ],
        events: request.events(sessionId),
      },
      request.lingerMs,
    );
    if (!opened) return null;
    return {
      ...this.tokens(sessionId, request.userId, opened.isStaff, refresh),
      unfamiliar: opened.unfamiliar,
      origin,
    };
  }

  /** The group commit of `step`'s sign-in statement (one text, prepared once). */
  private openerFor(step: SignInStep): Batcher<PendingSignIn, OpenedSession | null> {
    const existing = this.openers.get(step);
    if (existing) return existing;
    const events = this.domainEvents.forEachStep(
      '(opened JOIN account ON account.id = opened.user_id)',
      'opened.n',
      step.user('account'),
      SIGNING_IN_PARAMETERS + 1,
    );
    const sql = `WITH ${SIGNING_IN}, ${step.sql}${OPEN_SESSIONS}, ${events.sql}${OPENED}`;
    const opener = new Batcher<PendingSignIn, OpenedSession | null>(async (batch) => {
      const rows = await this.prepared.query<OpenedSession & { n: number }>(sql, [
        ...columnArrays(
          batch.map((signIn) => signIn.row),
          SIGNING_IN_PARAMETERS,
        ),
        ...events.parameters(
          batch.flatMap((signIn, index) =>
            signIn.events.map((event) => ({ owner: index + 1, event })),
          ),
        ),
      ]);
      const opened: (OpenedSession | null)[] = batch.map(() => null);
      for (const { n, ...session } of rows) opened[n - 1] = session;
      return opened;
    }, SIGN_IN_BATCH);
    this.openers.set(step, opener);
    return opener;
  }

  /** A new session's values, in the order of OPEN's $1–$10 and SIGNING_IN's first ten columns. */
  private openParameters(
    userId: string,
    client: ClientInfo,
    refresh: string,
    sessionId: string = randomUUID(),
    origin: SignInOrigin = signInOrigin(client.ip, client.userAgent),
  ): unknown[] {
    const now = new Date();
    const absolute = this.absoluteExpiry(now);
    return [
      userId,
      client.ip,
      client.userAgent,
      now,
      this.idleExpiry(now, absolute),
      absolute,
      this.hash(refresh),
      origin.network,
      origin.browser,
      sessionId,
    ];
  }

  /** Trades a live refresh token for a new pair; a retired one past the grace window ends the session. */
  async rotate(presented: string, client: ClientInfo): Promise<IssuedTokens> {
    const tokenHash = this.hash(presented);
    const now = new Date();
    const refresh = randomBytes(32).toString('base64url');
    const rotated = await this.rotations.add([
      tokenHash,
      now,
      new Date(now.getTime() + this.config.refreshTtlSeconds * 1000),
      client.ip,
      client.userAgent,
      this.hash(refresh),
    ]);
    if (rotated) return this.tokens(rotated.sessionId, rotated.userId, rotated.isStaff, refresh);
    return this.rotateUnderLock(tokenHash, client);
  }

  /** ROTATE_CURRENT for the rotations waiting (each a row of its parameters): one statement. */
  private async rotateAll(rows: unknown[][]): Promise<(Rotated | null)[]> {
    const moved = await this.prepared.query<Rotated & { n: number }>(
      ROTATE_CURRENT,
      columnArrays(rows, ROTATE_CURRENT_PARAMETERS),
    );
    const rotated: (Rotated | null)[] = rows.map(() => null);
    for (const { n, ...row } of moved) rotated[n - 1] = row;
    return rotated;
  }

  /** Every case but the common one: a retired token (grace window or reuse), unknown or dead. */
  private async rotateUnderLock(tokenHash: string, client: ClientInfo): Promise<IssuedTokens> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const [found] = await manager.query<{ sessionId: string }[]>(TOKEN_SESSION, [tokenHash]);
      if (!found) return null;
      // Locking the session serializes concurrent refreshes of one session; the token is read
      // again under the lock (a new statement, so a new snapshot): a rotation that just
      // committed is seen. A session whose user may no longer sign in was revoked with that change.
      const [session] = await manager.query<LockedSession[]>(LOCK_SESSION, [found.sessionId]);
      const [token] = await manager.query<TokenUnderLock[]>(TOKEN_UNDER_LOCK, [tokenHash]);
      const now = new Date();
      if (!session || !token || !this.isLive(session, now)) return null;
      if (token.retiredAt) {
        const justRetired =
          session.rotatedAt !== null && token.retiredAt.getTime() === session.rotatedAt.getTime();
        if (
          justRetired &&
          now.getTime() - token.retiredAt.getTime() <= this.config.reuseGraceSeconds * 1000
        )
          return null;
        const reused = await this.endWhere(manager, { id: found.sessionId }, 'refresh_reuse');
        await this.domainEvents.record(
          manager,
          ...reused.map((ended): DomainEvent => ({
            action: 'refresh.reuse_detected',
            outcome: 'denied',
            actor: { type: 'user', id: session.userId },
            target: { type: 'session', id: ended.id },
            userId: session.userId,
            context: { ip: client.ip, userAgent: client.userAgent, requestId: client.requestId },
            session: { id: ended.id, ip: ended.ip, user_agent: ended.user_agent },
          })),
        );
        return { reused: reused.map((ended) => ended.id), userId: session.userId };
      }
      const refresh = randomBytes(32).toString('base64url');
      await manager.query(ROTATE, [
        tokenHash,
        now,
        found.sessionId,
        this.idleExpiry(now, session.absoluteExpiresAt),
        client.ip,
        client.userAgent,
        this.hash(refresh),
      ]);
      return this.tokens(found.sessionId, session.userId, session.isStaff, refresh);
    });
    if (outcome && 'reused' in outcome) {
      this.events.refreshReuse({
        sessionId: outcome.reused[0],
        ip: client.ip,
        userId: outcome.userId,
      });
      await this.publishRevocations(outcome.reused);
    }
    if (!outcome || 'reused' in outcome) {
      throw AppException.tokenInvalid(INVALID_REFRESH);
    }
    return outcome;
  }

  /** The session a refresh token belongs to, if it belongs to this user (for logout). */
  async sessionOfRefreshToken(presented: string, userId: string): Promise<string | null> {
    const token = await this.dataSource
      .getRepository(RefreshToken)
      .findOne({ where: { tokenHash: this.hash(presented) }, relations: { session: true } });
    return token?.session?.userId === userId ? token.sessionId : null;
  }

  /**
   * A refresh token that would rotate now (current, its session live), for introspection and a
   * logout the refresh cookie alone authenticates: read only, it never uses or rotates the token.
   * Null for anything else.
   */
  async liveRefreshToken(presented: string): Promise<LiveRefreshToken | null> {
    const [row] = await this.dataSource.query<LiveRefreshToken[]>(LIVE_REFRESH, [
      this.hash(presented),
    ]);
    return row ?? null;
  }

  /** Who a live, current refresh token speaks for; null for anything else. Nothing changes. */
  async callerOfRefreshToken(presented: string): Promise<AuthUser | null> {
    const live = await this.liveRefreshToken(presented);
    return live ? { id: live.userId, sessionId: live.sessionId, isStaff: live.isStaff } : null;
  }

  /**
   * Ends these sessions; returns how many were still live. With `by`, each ended session records
   * `session.revoked` in the same transaction.
   */
  async revoke(sessionIds: string[], reason: RevokeReason, by?: RevokedBy): Promise<number> {
    if (sessionIds.length === 0) return 0;
    return this.endAndPublish({ id: In(sessionIds) }, reason, by);
  }

  /** Ends session `sessionId` if it is a live one of user `userId`; false otherwise. */
  async revokeOwned(
    userId: string,
    sessionId: string,
    reason: RevokeReason,
    by: RevokedBy,
  ): Promise<boolean> {
    return (await this.endAndPublish({ id: sessionId, userId }, reason, by)) > 0;
  }

  /** Ends every session of a user, or every one but `keep`; returns how many were live. */
  async revokeAllForUser(
    userId: string,
    reason: RevokeReason,
    keep?: string,
    by?: RevokedBy,
  ): Promise<number> {
    return this.endAndPublish(keep ? { userId, id: Not(keep) } : { userId }, reason, by);
  }

  private async endAndPublish(
    where: Record<string, unknown>,
    reason: RevokeReason,
    by?: RevokedBy,
  ): Promise<number> {
    const ended = by
      ? await this.dataSource.transaction(async (manager) => {
          const rows = await this.endWhere(manager, where, reason);
          await this.domainEvents.record(
            manager,
            ...rows.map((row) => revokedEvent(row, reason, by)),
          );
          return rows;
        })
      : await this.endWhere(this.dataSource.manager, where, reason);
    const ids = ended.map((row) => row.id);
    await this.publishRevocations(ids);
    return ids.length;
  }

  /** The same inside a caller's transaction: pass the ids to publishRevocations after it commits. */
  revokeAllForUserIn(
    manager: EntityManager,
    userId: string,
    reason: RevokeReason,
    keep?: string,
  ): Promise<string[]> {
    return this.revokeWhere(manager, keep ? { userId, id: Not(keep) } : { userId }, reason);
  }

  /** Tells every instance (through the shared cache) that these sessions are over. */
  async publishRevocations(sessionIds: string[]): Promise<void> {
    await this.status
      .markRevoked(sessionIds)
      .catch((error: Error) =>
        this.logger.warn(
          `revocation cache not updated (database stays the truth): ${error.message}`,
        ),
      );
  }

  private async revokeWhere(
    manager: EntityManager,
    where: Record<string, unknown>,
    reason: RevokeReason,
  ): Promise<string[]> {
    return (await this.endWhere(manager, where, reason)).map((row) => row.id);
  }

  private async endWhere(
    manager: EntityManager,
    where: Record<string, unknown>,
    reason: RevokeReason,
  ): Promise<EndedSession[]> {
    const result = await manager
      .getRepository(Session)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where({ ...where, revokedAt: IsNull() })
      .returning('id, user_id, ip, user_agent')
      .execute();
    return result.raw as EndedSession[];
  }

  private tokens(
    sessionId: string,
    userId: string,
    isStaff: boolean,
    refresh: string,
  ): IssuedTokens {
    return {
      sessionId,
      userId,
      access: this.accessTokens.issue(userId, sessionId, isStaff ? 'admin' : 'user'),
      refresh,
      expiresIn: this.accessTokens.ttlSeconds,
    };
  }

  private isLive(session: LockedSession, now: Date): boolean {
    return !session.revokedAt && session.idleExpiresAt > now && session.absoluteExpiresAt > now;
  }

  private absoluteExpiry(from: Date): Date {
    return new Date(from.getTime() + this.config.refreshMaxTtlSeconds * 1000);
  }

  private idleExpiry(from: Date, absolute: Date): Date {
    return new Date(
      Math.min(from.getTime() + this.config.refreshTtlSeconds * 1000, absolute.getTime()),
    );
  }

  private hash(token: string): string {
    return hmacHex(this.refreshKey, token);
  }
}

function revokedEvent(row: EndedSession, reason: RevokeReason, by: RevokedBy): DomainEvent {
  return {
    action: 'session.revoked',
    actor: by.actor,
    target: { type: 'session', id: row.id },
    context: by.context,
    metadata: { reason, user_id: row.user_id },
    userId: row.user_id,
    session: { id: row.id, ip: row.ip, user_agent: row.user_agent },
  };
}
