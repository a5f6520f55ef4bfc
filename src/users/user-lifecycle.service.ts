import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuthUser, Caller, callerUserId } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { actorOf } from '../events/domain-event';
import { AuthEventsService } from '../observability/auth-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { assertAdminRemains, assertStillAdmin, lockActiveAdmins, lockUser } from './user-locks';
import { toUserResponse, UserResponse } from './dto/user.response';
import { canSignIn, User } from './entities/user.entity';

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
  ) {}

  /** An admin (or an `admin` API key) deletes another user. */
  async remove(actor: Caller, id: string): Promise<UserResponse> {
    if (id === callerUserId(actor)) throw AppException.conflict(ADMIN_SELF_DELETE);
    return this.softDelete(id, actor);
  }

  /** Users close their own account; admins must ask another admin. */
  async removeSelf(actor: AuthUser): Promise<void> {
    if (actor.isStaff) throw AppException.conflict(ADMIN_SELF_DELETE);
    await this.softDelete(actor.id);
  }

  async restore(actor: Caller, id: string): Promise<UserResponse> {
    await this.dataSource.transaction(async (manager) => {
      const user = await lockUser(manager, id);
      if (canSignIn(user)) throw AppException.conflict(NOT_DELETED);
      await manager.getRepository(User).update({ id }, { isActive: true, deletedAt: null });
    });
    this.events.adminChange('restore', { actor: actorOf(actor), targetUserId: id });
    return this.load(id);
  }

  private async softDelete(id: string, actor?: Caller): Promise<UserResponse> {
    const revoked = await this.dataSource.transaction(async (manager) => {
      const admins = await lockActiveAdmins(manager);
      // An admin user must still be one when the change commits; a key has no such row.
      const actorId = actor ? callerUserId(actor) : null;
      if (actorId !== null) assertStillAdmin(admins, actorId);
      const user = await lockUser(manager, id);
      if (user.deletedAt !== null) throw AppException.conflict(ALREADY_DELETED);
      assertAdminRemains(admins, id);
      await manager
        .getRepository(User)
        .update({ id }, { isActive: false, deletedAt: () => 'now()' });
      return this.sessions.revokeAllForUserIn(manager, id, 'deactivated');
    });
    await this.sessions.publishRevocations(revoked);
    if (actor) this.events.adminChange('delete', { actor: actorOf(actor), targetUserId: id });
    return this.load(id);
  }

  private async load(id: string): Promise<UserResponse> {
    return toUserResponse(await this.users.findOneOrFail({ where: { id }, withDeleted: true }));
  }
}
