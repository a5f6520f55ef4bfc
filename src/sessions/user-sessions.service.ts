import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { SessionListResponse, toSessionResponse } from './dto/session.response';
import { Session } from './entities/session.entity';
import { SessionsService } from './sessions.service';

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
  async revoke(caller: AuthUser, sessionId: string): Promise<void> {
    const session = await this.sessions.findOne({
      where: { id: sessionId, ...this.liveOf(caller.id) },
    });
    if (!session) throw AppException.notFound(SESSION_NOT_FOUND);
    await this.lifecycle.revoke([session.id], 'user_request');
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
