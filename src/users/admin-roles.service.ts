import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SessionsService } from '../sessions/sessions.service';
import { User } from './entities/user.entity';
import { assertAdminRemains, lockActiveAdmins } from './user-locks';

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
  ) {}

  /**
   * Makes `email` an active, verified admin, creating the account if needed. Idempotent, and safe
   * when several instances boot at once: the insert yields to a concurrent one (ON CONFLICT DO
   * NOTHING) and the row is then read under a lock.
   */
  async ensureAdmin(email: string): Promise<EnsureAdminOutcome> {
    const { outcome, revoked } = await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(User)
        .values({ email, isStaff: true, isActive: true, isVerified: true })
        .orIgnore()
        .returning(['id'])
        .execute();
      if ((inserted.raw as unknown[]).length > 0)
        return { outcome: 'created' as const, revoked: [] };
      const user = await this.lockByEmail(manager, email);
      if (!user) throw new Error(`ADMIN_EMAIL account ${email} vanished while being promoted`);
      if (user.isStaff && user.isActive && user.deletedAt === null && user.isVerified)
        return { outcome: 'unchanged' as const, revoked: [] };
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
      return { outcome: 'promoted' as const, revoked: ended };
    });
    await this.sessions.publishRevocations(revoked);
    return outcome;
  }

  /** Grants or withdraws admin rights by email (CLI); the last active admin cannot be demoted. */
  async setStaff(email: string, isStaff: boolean): Promise<SetStaffResult> {
    const { result, revoked } = await this.dataSource.transaction(async (manager) => {
      const admins = isStaff ? [] : await lockActiveAdmins(manager);
      const user = await this.lockByEmail(manager, email);
      if (!user) return { result: { outcome: 'not_found' as const }, revoked: [] };
      const active = user.isActive && user.deletedAt === null;
      if (user.isStaff === isStaff)
        return { result: { outcome: 'unchanged' as const, active }, revoked: [] };
      if (!isStaff) assertAdminRemains(admins, user.id);
      await manager.getRepository(User).update({ id: user.id }, { isStaff });
      const ended = await this.sessions.revokeAllForUserIn(manager, user.id, 'account_change');
      return { result: { outcome: 'changed' as const, active }, revoked: ended };
    });
    await this.sessions.publishRevocations(revoked);
    return result;
  }

  private lockByEmail(manager: EntityManager, email: string): Promise<User | null> {
    return manager
      .getRepository(User)
      .createQueryBuilder('u')
      .withDeleted()
      .setLock('pessimistic_write')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }
}
