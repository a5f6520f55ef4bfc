import { DataSource, Repository } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { EmailValidationService } from '../email-validation/email-validation.service';
import { EventsService } from '../events/events.service';
import { AuthEventsService } from '../observability/auth-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { User } from './entities/user.entity';
import { SELF_DEACTIVATE, SELF_DEMOTE, UserAccountsService } from './user-accounts.service';
import { UserCacheService } from './user-cache.service';
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
  untouchable as EventsService,
  untouchable as UserCacheService,
);
const lifecycle = new UserLifecycleService(
  untouchable as Repository<User>,
  untouchable as DataSource,
  untouchable as SessionsService,
  untouchable as AuthEventsService,
  untouchable as EventsService,
  untouchable as UserCacheService,
);

/** The AppException a refused rule throws, as toMatchObject reads it; no field errors. */
function refused(status: number, message: string) {
  return { name: 'AppException', status, message, errors: undefined };
}

describe('user rules, refused before any database work', () => {
  it('regular users may change only themselves', async () => {
    await expect(accounts.update(member, 'someone', { city: 'Pune' })).rejects.toMatchObject(
      refused(403, 'You are not authorized to update other users.'),
    );
  });

  it('regular users may not send admin fields, and are told which', async () => {
    const refusal = accounts.update(member, 'member', { is_staff: true, email: 'x@example.com' });
    await expect(refusal).rejects.toMatchObject({
      name: 'AppException',
      status: 403,
      message: 'You are not allowed to update these fields.',
    });
    // Exactly these fields (toMatchObject would let others through).
    await expect(refusal).rejects.toHaveProperty('errors', {
      email: ['You are not allowed to update this field.'],
      is_staff: ['You are not allowed to update this field.'],
    });
  });

  it('admins may not demote or deactivate themselves (409)', async () => {
    await expect(accounts.update(admin, 'admin', { is_staff: false })).rejects.toMatchObject(
      refused(409, SELF_DEMOTE),
    );
    await expect(accounts.update(admin, 'admin', { is_active: false })).rejects.toMatchObject(
      refused(409, SELF_DEACTIVATE),
    );
  });

  it('admins may not delete themselves, by id or as me (409)', async () => {
    await expect(lifecycle.remove(admin, 'admin')).rejects.toMatchObject(
      refused(409, ADMIN_SELF_DELETE),
    );
    await expect(lifecycle.removeSelf(admin)).rejects.toMatchObject(
      refused(409, ADMIN_SELF_DELETE),
    );
  });
});
