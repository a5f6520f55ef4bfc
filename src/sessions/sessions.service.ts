import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull, Not, Repository } from 'typeorm';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { deriveKey, hmacHex } from '../common/secrets';
import { authConfig, AuthConfig } from './auth.config';
import { secretConfig, SecretConfig } from '../config/secret.config';
import { AuthEventsService } from '../observability/auth-events.service';
import { AccessTokenService } from './access-token.service';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { SessionStatusService } from './session-status.service';

export interface IssuedTokens {
  sessionId: string;
  userId: string;
  access: string;
  refresh: string;
  expiresIn: number;
}

export type RevokeReason =
  | 'logout'
  | 'refresh_reuse'
  | 'password_reset'
  | 'password_change'
  | 'account_change'
  | 'deactivated'
  | 'user_request';

const INVALID_REFRESH = 'Invalid or expired refresh token.';

// Rotation in plain statements: six round trips where the repository calls took nine, and no
// query building on a path every client takes every few minutes.
const TOKEN_SESSION = `SELECT session_id AS "sessionId" FROM refresh_tokens WHERE token_hash = $1`;

const LOCK_SESSION = `
  SELECT user_id AS "userId", revoked_at AS "revokedAt", rotated_at AS "rotatedAt",
         idle_expires_at AS "idleExpiresAt", absolute_expires_at AS "absoluteExpiresAt"
  FROM sessions WHERE id = $1 FOR UPDATE`;

const TOKEN_UNDER_LOCK = `SELECT retired_at AS "retiredAt" FROM refresh_tokens WHERE token_hash = $1`;

/**
 * Follows a CTE `account (id, is_staff)`: the session and its first refresh token in the same
 * statement, so never one without the other. Parameters $2–$7 as openParameters() orders them.
 */
const OPEN_FROM_ACCOUNT = `,
  session AS (
    INSERT INTO sessions (user_id, ip, user_agent, last_used_at, idle_expires_at, absolute_expires_at, is_staff)
    SELECT id, $2, $3, $4, $5, $6, is_staff FROM account RETURNING id)
  INSERT INTO refresh_tokens (token_hash, session_id) SELECT $7, id FROM session RETURNING session_id AS id`;

/** Retires the presented token, moves the session on and adds its successor, in one statement. */
const ROTATE = `
  WITH retired AS (UPDATE refresh_tokens SET retired_at = $2 WHERE token_hash = $1),
       moved AS (
         UPDATE sessions
         SET rotated_at = $2, last_used_at = $2, idle_expires_at = $4, ip = $5, user_agent = $6
         WHERE id = $3)
  INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($7, $3)`;

const CALLER_OF_TOKEN = `
  SELECT s.user_id AS "id", s.id AS "sessionId", s.is_staff AS "isStaff"
  FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
  WHERE t.token_hash = $1 AND t.retired_at IS NULL AND s.revoked_at IS NULL
    AND s.idle_expires_at > now() AND s.absolute_expires_at > now()`;

type LockedSession = Pick<
  Session,
  'userId' | 'revokedAt' | 'rotatedAt' | 'idleExpiresAt' | 'absoluteExpiresAt'
>;

interface TokenUnderLock {
  retiredAt: Date | null;
}

/** Opens sessions, rotates their refresh tokens (detecting reuse) and revokes them. */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  private readonly refreshKey: Buffer;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accessTokens: AccessTokenService,
    private readonly status: SessionStatusService,
    private readonly events: AuthEventsService,
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
    const [row] = await manager.query<{ id: string }[]>(
      `WITH account AS (SELECT $1::uuid AS id, $8::boolean AS is_staff)${OPEN_FROM_ACCOUNT}`,
      [...this.openParameters(userId, client, refresh), isStaff],
    );
    return this.tokens(row.id, userId, refresh);
  }

  /**
   * Opens a session in the same statement as `accountStep`, the users module's statement that
   * records the sign-in of user `$1` and returns `(id, is_staff)` only while the account may sign
   * in. One round trip; the step's row lock orders it with a concurrent deactivation, which then
   * ends this session too. Null when the account may no longer sign in.
   */
  async openAfter(
    accountStep: string,
    userId: string,
    client: ClientInfo,
  ): Promise<IssuedTokens | null> {
    const refresh = randomBytes(32).toString('base64url');
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `WITH account AS (${accountStep})${OPEN_FROM_ACCOUNT}`,
      this.openParameters(userId, client, refresh),
    );
    return row ? this.tokens(row.id, userId, refresh) : null;
  }

  private openParameters(userId: string, client: ClientInfo, refresh: string): unknown[] {
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
    ];
  }

  /** Trades a live refresh token for a new pair; a retired one past the grace window ends the session. */
  async rotate(presented: string, client: ClientInfo): Promise<IssuedTokens> {
    const tokenHash = this.hash(presented);
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
        return {
          reused: await this.revokeWhere(manager, { id: found.sessionId }, 'refresh_reuse'),
          userId: session.userId,
        };
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
      return this.tokens(found.sessionId, session.userId, refresh);
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
   * Who a live, current refresh token speaks for (a logout the refresh cookie alone
   * authenticates); null for an unknown, retired, expired or revoked one. Nothing changes.
   */
  async callerOfRefreshToken(presented: string): Promise<AuthUser | null> {
    const [row] = await this.dataSource.query<AuthUser[]>(CALLER_OF_TOKEN, [this.hash(presented)]);
    return row ?? null;
  }

  /** Ends these sessions; returns how many were still live. */
  async revoke(sessionIds: string[], reason: RevokeReason): Promise<number> {
    if (sessionIds.length === 0) return 0;
    const ended = await this.revokeWhere(this.dataSource.manager, { id: In(sessionIds) }, reason);
    await this.publishRevocations(ended);
    return ended.length;
  }

  /** Ends every session of a user, or every one but `keep`; returns how many were live. */
  async revokeAllForUser(userId: string, reason: RevokeReason, keep?: string): Promise<number> {
    const ended = await this.revokeAllForUserIn(this.dataSource.manager, userId, reason, keep);
    await this.publishRevocations(ended);
    return ended.length;
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
    const result = await manager
      .getRepository(Session)
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where({ ...where, revokedAt: IsNull() })
      .returning(['id'])
      .execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }

  private tokens(sessionId: string, userId: string, refresh: string): IssuedTokens {
    return {
      sessionId,
      userId,
      access: this.accessTokens.issue(userId, sessionId),
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
