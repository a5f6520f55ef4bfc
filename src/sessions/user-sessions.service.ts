import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { contextOf } from '../events/domain-event';
import {
  AdminSessionResponse,
  SessionListResponse,
  toAdminSessionResponse,
  toSessionResponse,
} from './dto/session.response';
import { Session } from './entities/session.entity';
import { RevokedBy, SessionsService } from './sessions.service';

export const SESSION_NOT_FOUND = 'Session not found.';

/** A user's own view of their sessions: the live ones, and ending one of them. */
@Injectable()
export class UserSessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly lifecycle: SessionsService,
  ) {}

  async list(caller: AuthUser): Promise<SessionListResponse> {
    const live = await this.sessions.find({
      where: this.liveOf(caller.id),
      order: { lastUsedAt: 'DESC', id: 'ASC' },
    });
    return { data: live.map((session) => toSessionResponse(session, caller.sessionId)) };
  }

  /** Ends one live session of the caller (the current one too: that is a logout). 404 otherwise. */
  async revoke(caller: AuthUser, sessionId: string, client?: ClientInfo): Promise<void> {
    const session = await this.sessions.findOne({
      where: { id: sessionId, ...this.liveOf(caller.id) },
    });
    if (!session) throw AppException.notFound(SESSION_NOT_FOUND);
    await this.lifecycle.revoke([session.id], 'user_request', {
      actor: { type: 'user', id: caller.id },
      context: contextOf(client, caller.sessionId),
    });
  }

  /** An admin's view of a user's live sessions (the user's existence is the caller's check). */
  async listOf(userId: string): Promise<AdminSessionResponse[]> {
    const live = await this.sessions.find({
      where: this.liveOf(userId),
      order: { lastUsedAt: 'DESC', id: 'ASC' },
    });
    return live.map(toAdminSessionResponse);
  }

  /** An admin ends one live session of user `userId`; 404 when it is not that user's live one. */
  async revokeOf(userId: string, sessionId: string, by: RevokedBy): Promise<void> {
    const ended = await this.lifecycle.revokeOwned(userId, sessionId, 'admin', by);
    if (!ended) throw AppException.notFound(SESSION_NOT_FOUND);
  }

  /** An admin ends every session of user `userId`. */
  async revokeAllOf(userId: string, by: RevokedBy): Promise<void> {
    await this.lifecycle.revokeAllForUser(userId, 'admin', undefined, by);
  }

  private liveOf(userId: string) {
    const now = new Date();
    return {
      userId,
      revokedAt: IsNull(),
      idleExpiresAt: MoreThan(now),
      absoluteExpiresAt: MoreThan(now),
    };
  }
}
