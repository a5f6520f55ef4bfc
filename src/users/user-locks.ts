import { EntityManager } from 'typeorm';
import { AppException } from '../common/errors/app.exception';
import { canSignInSql, emailMatches, User } from './entities/user.entity';
import { USER_NOT_FOUND } from './users-query.service';

export const LAST_ADMIN_MESSAGE =
  'The last active admin cannot be removed. Make another user an admin first.';

/**
 * Locks every active admin row (FOR UPDATE) inside the caller's transaction and returns their ids.
 * Two admins demoting each other at once thus take turns, and the second sees the first's result.
 */
export async function lockActiveAdmins(manager: EntityManager): Promise<string[]> {
  const admins = await manager
    .getRepository(User)
    .createQueryBuilder('u')
    .select('u.id', 'id')
    .where(`u.is_staff AND ${canSignInSql('u')}`)
    .orderBy('u.id')
    .setLock('pessimistic_write')
    .getRawMany<{ id: string }>();
  return admins.map((admin) => admin.id);
}

/** Refuses a change that would leave no active admin (409; MailGuard routes answer 400). */
export function assertAdminRemains(activeAdminIds: string[], leavingId: string): void {
  if (activeAdminIds.includes(leavingId) && activeAdminIds.length <= 1)
    throw AppException.conflict(LAST_ADMIN_MESSAGE);
}

/** An admin acting on others must still be one once the admin rows are locked. */
export function assertStillAdmin(activeAdminIds: string[], actorId: string): void {
  if (!activeAdminIds.includes(actorId)) throw AppException.forbidden();
}

/** The user row, deleted or not, locked (FOR UPDATE) until the caller's transaction ends; 404 if absent. */
export async function lockUser(manager: EntityManager, id: string): Promise<User> {
  const user = await manager
    .getRepository(User)
    .createQueryBuilder('u')
    .withDeleted()
    .setLock('pessimistic_write')
    .where('u.id = :id', { id })
    .getOne();
  if (!user) throw AppException.notFound(USER_NOT_FOUND);
  return user;
}

/** The user with this email, deleted or not, locked until the caller's transaction ends. */
export function lockUserByEmail(manager: EntityManager, email: string): Promise<User | null> {
  return manager
    .getRepository(User)
    .createQueryBuilder('u')
    .withDeleted()
    .setLock('pessimistic_write')
    .where(emailMatches('u.email', ':email'), { email })
    .getOne();
}

/** Any account with this email, deleted ones included (the unique index covers them all). */
export function emailTaken(manager: EntityManager, email: string): Promise<boolean> {
  return manager
    .getRepository(User)
    .createQueryBuilder('u')
    .withDeleted()
    .where(emailMatches('u.email', ':email'), { email })
    .getExists();
}

/**
 * Inserts a user unless the email has an account (ON CONFLICT DO NOTHING: an existing account
 * shows as no row, not as a failed statement); the new id, or null.
 */
export async function insertUserIfAbsent(
  manager: EntityManager,
  values: Partial<User>,
): Promise<string | null> {
  const inserted = await manager
    .createQueryBuilder()
    .insert()
    .into(User)
    .values(values)
    .orIgnore()
    .returning(['id'])
    .execute();
  return (inserted.raw as { id: string }[])[0]?.id ?? null;
}
