import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
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

  /** An admin deletes another user. */
  async remove(actor: AuthUser, id: string): Promise<UserResponse> {
    if (id === actor.id) throw AppException.conflict(ADMIN_SELF_DELETE);
    return this.softDelete(id, actor);
  }

  /** Users close their own account; admins must ask another admin. */
  async removeSelf(actor: AuthUser): Promise<void> {
    if (actor.isStaff) throw AppException.conflict(ADMIN_SELF_DELETE);
    await this.softDelete(actor.id);
  }

  async restore(actor: AuthUser, id: string): Promise<UserResponse> {
    await this.dataSource.transaction(async (manager) => {
      const user = await lockUser(manager, id);
      if (canSignIn(user)) throw AppException.conflict(NOT_DELETED);
      await manager.getRepository(User).update({ id }, { isActive: true, deletedAt: null });
    });
    this.events.adminChange('restore', { userId: actor.id, targetUserId: id });
    return this.load(id);
  }

  private async softDelete(id: string, actor?: AuthUser): Promise<UserResponse> {
    const revoked = await this.dataSource.transaction(async (manager) => {
      const admins = await lockActiveAdmins(manager);
      if (actor?.isStaff) assertStillAdmin(admins, actor.id);
      const user = await lockUser(manager, id);
      if (user.deletedAt !== null) throw AppException.conflict(ALREADY_DELETED);
      assertAdminRemains(admins, id);
      await manager
        .getRepository(User)
        .update({ id }, { isActive: false, deletedAt: () => 'now()' });
      return this.sessions.revokeAllForUserIn(manager, id, 'deactivated');
    });
    await this.sessions.publishRevocations(revoked);
    if (actor) this.events.adminChange('delete', { userId: actor.id, targetUserId: id });
    return this.load(id);
  }

  private async load(id: string): Promise<UserResponse> {
    return toUserResponse(await this.users.findOneOrFail({ where: { id }, withDeleted: true }));
  }
}
