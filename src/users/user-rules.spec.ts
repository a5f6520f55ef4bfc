import { DataSource, Repository } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { EmailValidationService } from '../email-validation/email-validation.service';
import { AuthEventsService } from '../observability/auth-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { User } from './entities/user.entity';
import { SELF_DEACTIVATE, SELF_DEMOTE, UserAccountsService } from './user-accounts.service';
import { ADMIN_SELF_DELETE, UserLifecycleService } from './user-lifecycle.service';

const member: AuthUser = { id: 'member', sessionId: 's', isStaff: false };
const admin: AuthUser = { id: 'admin', sessionId: 's', isStaff: true };

/** Doubles that fail the test if the rule under test let the request reach the database. */
const untouchable = new Proxy(
  {},
  {
    get: (_target, property) => {
      throw new Error(`the database was touched (${String(property)}) before the rule refused`);
    },
  },
);
const accounts = new UserAccountsService(
  untouchable as Repository<User>,
  untouchable as DataSource,
  untouchable as SessionsService,
  untouchable as EmailValidationService,
  untouchable as AuthEventsService,
);
const lifecycle = new UserLifecycleService(
  untouchable as Repository<User>,
  untouchable as DataSource,
  untouchable as SessionsService,
  untouchable as AuthEventsService,
);

async function failure(work: Promise<unknown>): Promise<[number, string, unknown]> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppException) return [error.getStatus(), error.message, error.errors];
    throw error;
  }
  throw new Error('expected a failure');
}

describe('user rules, refused before any database work', () => {
  it('regular users may change only themselves', async () => {
    expect(await failure(accounts.update(member, 'someone', { city: 'Pune' }))).toEqual([
      403,
      'You are not authorized to update other users.',
      undefined,
    ]);
  });

  it('regular users may not send admin fields, and are told which', async () => {
    expect(
      await failure(accounts.update(member, 'member', { is_staff: true, email: 'x@example.com' })),
    ).toEqual([
      403,
      'You are not allowed to update these fields.',
      {
        email: ['You are not allowed to update this field.'],
        is_staff: ['You are not allowed to update this field.'],
      },
    ]);
  });

  it('admins may not demote or deactivate themselves (409)', async () => {
    expect(await failure(accounts.update(admin, 'admin', { is_staff: false }))).toEqual([
      409,
      SELF_DEMOTE,
      undefined,
    ]);
    expect(await failure(accounts.update(admin, 'admin', { is_active: false }))).toEqual([
      409,
      SELF_DEACTIVATE,
      undefined,
    ]);
  });

  it('admins may not delete themselves, by id or as me (409)', async () => {
    expect(await failure(lifecycle.remove(admin, 'admin'))).toEqual([
      409,
      ADMIN_SELF_DELETE,
      undefined,
    ]);
    expect(await failure(lifecycle.removeSelf(admin))).toEqual([409, ADMIN_SELF_DELETE, undefined]);
  });
});
