import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Caller, callerSessionId, callerUserId, ClientInfo } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { actorOf, contextOf, DomainEvent, userTarget } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { SessionsService } from '../sessions/sessions.service';
import { UserCacheService } from './user-cache.service';
import { BanUserDto } from './dto/ban-user.dto';
import { toUserResponse, UserResponse } from './dto/user.response';
import { User } from './entities/user.entity';
import { assertStillAdmin, lockActiveAdmins, lockUser } from './user-locks';

/** A ban without `until` lasts until lifted. */
export const FOREVER = new Date('9999-12-31T23:59:59.000Z');
export const SELF_BAN = 'You cannot ban yourself.';
export const LAST_ADMIN_BAN = 'The last active admin cannot be banned.';

/**
 * Bans and unbans (admin). A ban ends every session in its transaction; while it runs the account
 * is treated exactly like an inactive one (canSignIn), and it ends by itself at `banned_until`.
 */
@Injectable()
export class UserBansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly events: EventsService,
    private readonly userCache: UserCacheService,
  ) {}

  async ban(
    admin: Caller,
    id: string,
    dto: BanUserDto,
    client?: ClientInfo,
  ): Promise<UserResponse> {
    const adminId = callerUserId(admin);
    if (id === adminId) throw AppException.validation(SELF_BAN);
    const until = dto.until ? new Date(dto.until) : FOREVER;
    const { user, revoked } = await this.dataSource.transaction(async (manager) => {
      // Admin rows first, then the target: the lock order of every path that removes an admin.
      const admins = await lockActiveAdmins(manager);
      // An admin user must still be one when the ban commits; a key has no such row.
      if (adminId !== null) assertStillAdmin(admins, adminId);
      await lockUser(manager, id);
      if (admins.includes(id) && admins.length <= 1) throw AppException.validation(LAST_ADMIN_BAN);
      await manager
        .getRepository(User)
        .update({ id }, { bannedUntil: until, banReason: dto.reason });
      const ended = await this.sessions.revokeAllForUserIn(manager, id, 'banned');
      const banned = await this.record(manager, 'user.banned', admin, id, client, {
        until: until.toISOString(),
        reason: dto.reason,
        sessions_ended: ended.length,
      });
      return { user: banned, revoked: ended };
    });
    await this.userCache.changed(id);
    await this.sessions.publishRevocations(revoked);
    return user;
  }

  async unban(admin: Caller, id: string, client?: ClientInfo): Promise<UserResponse> {
    const user = await this.dataSource.transaction(async (manager) => {
      await lockUser(manager, id);
      await manager.getRepository(User).update({ id }, { bannedUntil: null, banReason: null });
      return this.record(manager, 'user.unbanned', admin, id, client, {});
    });
    await this.userCache.changed(id);
    return user;
  }

  private async record(
    manager: EntityManager,
    action: DomainEvent['action'],
    admin: Caller,
    id: string,
    client: ClientInfo | undefined,
    metadata: Record<string, unknown>,
  ): Promise<UserResponse> {
    const user = toUserResponse(
      await manager.getRepository(User).findOneOrFail({ where: { id }, withDeleted: true }),
    );
    await this.events.record(manager, {
      action,
      actor: actorOf(admin, id),
      target: userTarget(id),
      context: contextOf(client, callerSessionId(admin)),
      metadata,
      user,
    });
    return user;
  }
}
