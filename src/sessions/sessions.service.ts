import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull, Not, Repository } from 'typeorm';
import { ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { ErrorCode } from '../common/errors/error-codes';
import { deriveKey, hmacHex } from '../common/secrets';
import { authConfig, AuthConfig, secretConfig, SecretConfig } from '../config/namespaces';
import { AuthEvents } from '../observability/auth-events.service';
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
  'logout' | 'refresh_reuse' | 'password_reset' | 'account_change' | 'deactivated' | 'user_request';

const INVALID_REFRESH = 'Invalid or expired refresh token.';

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
    private readonly events: AuthEvents,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    @Inject(secretConfig.KEY) secret: SecretConfig,
  ) {
    this.refreshKey = deriveKey(secret.key, 'refresh-token');
  }

  /** Opens a session for a user who just proved who they are; `manager` joins a caller's transaction. */
  async open(
    userId: string,
    client: ClientInfo,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IssuedTokens> {
    const now = new Date();
    const absolute = this.absoluteExpiry(now);
    const refresh = randomBytes(32).toString('base64url');
    // Session and first refresh token in one statement: one round trip, and never one without the other.
    const [row] = await manager.query<{ id: string }[]>(
      `WITH session AS (
         INSERT INTO sessions (user_id, ip, user_agent, last_used_at, idle_expires_at, absolute_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
       INSERT INTO refresh_tokens (token_hash, session_id) SELECT $7, id FROM session RETURNING session_id AS id`,
      [
        userId,
        client.ip,
        client.userAgent,
        now,
        this.idleExpiry(now, absolute),
        absolute,
        this.hash(refresh),
      ],
    );
    return this.tokens(row.id, userId, refresh);
  }

  /** Trades a live refresh token for a new pair; a retired one past the grace window ends the session. */
  async rotate(presented: string, client: ClientInfo): Promise<IssuedTokens> {
    const tokenHash = this.hash(presented);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const found = await manager.getRepository(RefreshToken).findOneBy({ tokenHash });
      if (!found) return null;
      // Locking the session serializes concurrent refreshes of one session; the token is read
      // again under the lock, so a rotation that just committed is seen.
      const session = await manager
        .getRepository(Session)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.id = :id', { id: found.sessionId })
        .getOne();
      const token = await manager.getRepository(RefreshToken).findOneByOrFail({ tokenHash });
      const now = new Date();
      if (
        !session ||
        !this.isLive(session, now) ||
        !(await this.userIsActive(manager, session.userId))
      )
        return null;
      if (token.retiredAt) {
        const justRetired =
          session.rotatedAt !== null && token.retiredAt.getTime() === session.rotatedAt.getTime();
        if (
          justRetired &&
          now.getTime() - token.retiredAt.getTime() <= this.config.reuseGraceSeconds * 1000
        )
          return null;
        return {
          reused: await this.revokeWhere(manager, { id: session.id }, 'refresh_reuse'),
          userId: session.userId,
        };
      }
      await manager.getRepository(RefreshToken).update({ tokenHash }, { retiredAt: now });
      const idleExpiresAt = this.idleExpiry(now, session.absoluteExpiresAt);
      await manager.getRepository(Session).update(
        { id: session.id },
        {
          rotatedAt: now,
          lastUsedAt: now,
          idleExpiresAt,
          ip: client.ip,
          userAgent: client.userAgent,
        },
      );
      const refresh = await this.addRefreshToken(manager, session.id);
      return this.tokens(session.id, session.userId, refresh);
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
      throw new AppException(401, ErrorCode.TOKEN_INVALID, INVALID_REFRESH);
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

  private async addRefreshToken(manager: EntityManager, sessionId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await manager.getRepository(RefreshToken).insert({ tokenHash: this.hash(token), sessionId });
    return token;
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

  private isLive(session: Session, now: Date): boolean {
    return !session.revokedAt && session.idleExpiresAt > now && session.absoluteExpiresAt > now;
  }

  private async userIsActive(manager: EntityManager, userId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'SELECT 1 FROM users WHERE id = $1 AND is_active AND deleted_at IS NULL',
      [userId],
    );
    return rows.length > 0;
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
