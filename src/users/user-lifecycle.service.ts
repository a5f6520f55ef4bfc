import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import {
  AuthUser,
  Caller,
  callerSessionId,
  callerUserId,
  ClientInfo,
} from '../common/auth/auth-user';
import { actorOf, contextOf, DomainEvent, userTarget } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { AppException } from '../common/errors/app.exception';
import { AuthEventsService } from '../observability/auth-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { UserCacheService } from './user-cache.service';
import { assertAdminRemains, assertStillAdmin, lockActiveAdmins, lockUser } from './user-locks';
import { toUserResponse, UserResponse } from './dto/user.response';
import { User } from './entities/user.entity';

export const ALREADY_DELETED = 'User already deleted.';
export const NOT_DELETED = 'User is already active.';
export const ADMIN_SELF_DELETE = 'Admins cannot delete their own account. Ask another admin.';

/**
 * Soft delete and restore. A deleted user keeps its row and history: `is_active=false` plus the
 * deletion time, and every session ends in the same transaction.
 */
@Injectable()
export class UserLifecycleService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly events: AuthEventsService,
    private readonly domainEvents: EventsService,
    private readonly userCache: UserCacheService,
  ) {}

  /** An admin (or an `admin` API key) deletes another user. */
  async remove(actor: Caller, id: string, client?: ClientInfo): Promise<UserResponse> {
    if (id === callerUserId(actor)) throw AppException.conflict(ADMIN_SELF_DELETE);
    return this.softDelete(id, actor, client);
  }

  /** Users close their own account; admins must ask another admin. */
  async removeSelf(actor: AuthUser, client?: ClientInfo): Promise<void> {
    if (actor.isStaff) throw AppException.conflict(ADMIN_SELF_DELETE);
    await this.softDelete(actor.id, actor, client);
  }

  async restore(actor: Caller, id: string, client?: ClientInfo): Promise<UserResponse> {
    await this.dataSource.transaction(async (manager) => {
      const user = await lockUser(manager, id);
      if (user.isActive) throw AppException.conflict(NOT_DELETED);
      await manager.getRepository(User).update({ id }, { isActive: true, deletedAt: null });
      await this.domainEvents.record(
        manager,
        await this.userEvent(manager, 'user.restored', actor, id, client),
      );
    });
    await this.userCache.changed(id);
    this.events.adminChange('restore', { actor: actorOf(actor, id), targetUserId: id });
    return this.load(id);
  }

  private async softDelete(id: string, actor: Caller, client?: ClientInfo): Promise<UserResponse> {
    const revoked = await this.dataSource.transaction(async (manager) => {
      const admins = await lockActiveAdmins(manager);
      // An admin user must still be one when the change commits; a key has no such row.
      const actorId = callerUserId(actor);
      if (actorId !== null && actorId !== id) assertStillAdmin(admins, actorId);
      const user = await lockUser(manager, id);
      if (user.deletedAt !== null) throw AppException.conflict(ALREADY_DELETED);
      assertAdminRemains(admins, id);
      await manager
        .getRepository(User)
        .update({ id }, { isActive: false, deletedAt: () => 'now()' });
      const ended = await this.sessions.revokeAllForUserIn(manager, id, 'deactivated');
      const event = await this.userEvent(manager, 'user.deleted', actor, id, client);
      await this.domainEvents.record(manager, {
        ...event,
        metadata: { sessions_ended: ended.length },
      });
      return ended;
    });
    await this.userCache.changed(id);
    await this.sessions.publishRevocations(revoked);
    if (callerUserId(actor) !== id)
      this.events.adminChange('delete', { actor: actorOf(actor, id), targetUserId: id });
    return this.load(id);
  }

  /** An event about user `id` by `actor`, with the user object as it is now in the transaction. */
  private async userEvent(
    manager: EntityManager,
    action: DomainEvent['action'],
    actor: Caller,
    id: string,
    client?: ClientInfo,
  ): Promise<DomainEvent> {
    const user = await manager
      .getRepository(User)
      .findOneOrFail({ where: { id }, withDeleted: true });
    return {
      action,
      actor: actorOf(actor, id),
      target: userTarget(id),
      context: contextOf(client, callerSessionId(actor)),
      user: toUserResponse(user),
    };
  }

  private async load(id: string): Promise<UserResponse> {
    return toUserResponse(await this.users.findOneOrFail({ where: { id }, withDeleted: true }));
  }
}
