import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SessionsService } from '../sessions/sessions.service';
import { UserCacheService } from './user-cache.service';
import { canSignIn, User } from './entities/user.entity';
import {
  assertAdminRemains,
  insertUserIfAbsent,
  lockActiveAdmins,
  lockUserByEmail,
} from './user-locks';

export type EnsureAdminOutcome = 'created' | 'promoted' | 'unchanged';

export interface SetStaffResult {
  outcome: 'not_found' | 'changed' | 'unchanged';
  active?: boolean;
}

/** Who is an admin, from outside the HTTP API: ADMIN_EMAIL at boot and the CLI. */
@Injectable()
export class AdminRolesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly userCache: UserCacheService,
  ) {}

  /**
   * Makes `email` an active, verified admin, creating the account if needed. Idempotent, and safe
   * when several instances boot at once: the insert yields to a concurrent one (ON CONFLICT DO
   * NOTHING) and the row is then read under a lock.
   */
  async ensureAdmin(email: string): Promise<EnsureAdminOutcome> {
    const { outcome, revoked, changed } = await this.dataSource.transaction(async (manager) => {
      const created = await insertUserIfAbsent(manager, {
        email,
        isStaff: true,
        isActive: true,
        isVerified: true,
      });
      if (created) return { outcome: 'created' as const, revoked: [], changed: [] };
      const user = await lockUserByEmail(manager, email);
      if (!user) throw new Error(`ADMIN_EMAIL account ${email} vanished while being promoted`);
      if (user.isStaff && canSignIn(user) && user.isVerified)
        return { outcome: 'unchanged' as const, revoked: [], changed: [] };
      await manager
        .getRepository(User)
        .update(
          { id: user.id },
          { isStaff: true, isActive: true, deletedAt: null, isVerified: true },
        );
      // A change of admin rights ends the sessions, as it does through the API.
      const ended = user.isStaff
        ? []
        : await this.sessions.revokeAllForUserIn(manager, user.id, 'account_change');
      return { outcome: 'promoted' as const, revoked: ended, changed: [user.id] };
    });
    await this.userCache.changed(...changed);
    await this.sessions.publishRevocations(revoked);
    return outcome;
  }

  /** Grants or withdraws admin rights by email (CLI); the last active admin cannot be demoted. */
  async setStaff(email: string, isStaff: boolean): Promise<SetStaffResult> {
    const { result, revoked, changed } = await this.dataSource.transaction(async (manager) => {
      const admins = isStaff ? [] : await lockActiveAdmins(manager);
      const user = await lockUserByEmail(manager, email);
      if (!user) return { result: { outcome: 'not_found' as const }, revoked: [], changed: [] };
      const active = canSignIn(user);
      if (user.isStaff === isStaff)
        return { result: { outcome: 'unchanged' as const, active }, revoked: [], changed: [] };
      if (!isStaff) assertAdminRemains(admins, user.id);
      await manager.getRepository(User).update({ id: user.id }, { isStaff });
      const ended = await this.sessions.revokeAllForUserIn(manager, user.id, 'account_change');
      return {
        result: { outcome: 'changed' as const, active },
        revoked: ended,
        changed: [user.id],
      };
    });
    await this.userCache.changed(...changed);
    await this.sessions.publishRevocations(revoked);
    return result;
  }
}
