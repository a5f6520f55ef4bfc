import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Caller, callerSessionId, ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { actorOf, contextOf } from '../events/domain-event';
import { AdminSessionListResponse } from '../sessions/dto/session.response';
import { RevokedBy } from '../sessions/sessions.service';
import { UserSessionsService } from '../sessions/user-sessions.service';
import { User } from './entities/user.entity';
import { USER_NOT_FOUND } from './users-query.service';

/** An admin's view of one user's sessions: list them, end one, end all. */
@Injectable()
export class UserSessionsAdminService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly sessions: UserSessionsService,
  ) {}

  async list(userId: string): Promise<AdminSessionListResponse> {
    await this.assertUser(userId);
    return { data: await this.sessions.listOf(userId) };
  }

  async revoke(
    admin: Caller,
    userId: string,
    sessionId: string,
    client?: ClientInfo,
  ): Promise<void> {
    await this.assertUser(userId);
    await this.sessions.revokeOf(userId, sessionId, this.by(admin, userId, client));
  }

  async revokeAll(admin: Caller, userId: string, client?: ClientInfo): Promise<void> {
    await this.assertUser(userId);
    await this.sessions.revokeAllOf(userId, this.by(admin, userId, client));
  }

  private by(admin: Caller, userId: string, client?: ClientInfo): RevokedBy {
    return { actor: actorOf(admin, userId), context: contextOf(client, callerSessionId(admin)) };
  }

  private async assertUser(id: string): Promise<void> {
    if (!(await this.users.exists({ where: { id }, withDeleted: true })))
      throw AppException.notFound(USER_NOT_FOUND);
  }
}
