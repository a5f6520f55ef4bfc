import { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { UserResponse } from './dto/user.response';
import { MailGuardUsersService } from './mailguard-users.service';
import { EMAIL_TAKEN, UserAccountsService } from './user-accounts.service';
import { UserLifecycleService } from './user-lifecycle.service';
import { UsersQueryService } from './users-query.service';

const SELF = '3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a11';
const OTHER = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const member: AuthUser = { id: SELF, sessionId: 's', isStaff: false };
const admin: AuthUser = { id: OTHER, sessionId: 's', isStaff: true };
const user = { id: SELF, email: 'a@example.com' } as UserResponse;

/** Doubles that record calls and answer with what each test sets. */
function setup(outcome: () => Promise<UserResponse> = () => Promise.resolve(user)) {
  const calls: string[] = [];
  const query = {
    get: (id: string) => (calls.push(`get ${id}`), Promise.resolve(user)),
    list: () => (
      calls.push('list'),
      Promise.resolve({ data: [user], meta: { page: 1, limit: 20, total: 1 } })
    ),
  } as unknown as UsersQueryService;
  const accounts = {
    create: () => (calls.push('create'), outcome()),
    update: (_actor: AuthUser, id: string) => (calls.push(`update ${id}`), outcome()),
  } as unknown as UserAccountsService;
  const lifecycle = {
    remove: (_actor: AuthUser, id: string) => (calls.push(`remove ${id}`), outcome()),
  } as unknown as UserLifecycleService;
  return { service: new MailGuardUsersService(query, accounts, lifecycle), calls };
}

/** The AppException a refusal carries, as toMatchObject reads it. */
function refused(status: number, message: string) {
  return { name: 'AppException', status, message };
}

describe('MailGuardUsersService', () => {
  it('lists for admins and answers regular users with themselves only', async () => {
    const { service, calls } = setup();
    expect(await service.list(member, { limit: 50 })).toEqual({
      data: [user],
      message: 'Data retrieved successfully',
      meta: { page: 1, limit: 50, total: 1 },
    });
    await service.list(admin, {});
    expect(calls).toEqual([`get ${SELF}`, 'list']);
  });

  it('refuses a regular user any id but its own before anything is read, malformed ids included', async () => {
    const { service, calls } = setup();
    for (const id of [OTHER, 'not-a-uuid', 42, undefined]) {
      await expect(service.update(member, { id, city: 'Pune' })).rejects.toMatchObject(
        refused(403, 'You are not authorized to update other users.'),
      );
    }
    expect(calls).toEqual([]);
    await service.update(member, { id: SELF.toUpperCase(), city: 'Pune' });
    expect(calls).toEqual([`update ${SELF}`]);
  });

  it('answers admins 400 "ID does not exist." for malformed ids without a lookup, and for unknown ones', async () => {
    const { service, calls } = setup(() =>
      Promise.reject(AppException.notFound('User not found.')),
    );
    const malformed = service.remove(admin, { id: 'x' });
    await expect(malformed).rejects.toMatchObject(refused(400, 'ID does not exist.'));
    await expect(malformed).rejects.toHaveProperty('errors', { id: ['ID does not exist.'] });
    expect(calls).toEqual([]);
    const unknown = service.remove(admin, { id: SELF });
    await expect(unknown).rejects.toMatchObject(refused(400, 'ID does not exist.'));
    await expect(unknown).rejects.toHaveProperty('errors', { id: ['ID does not exist.'] });
  });

  it('turns conflicts into 400 with the same sentence, naming the email field when it is about it', async () => {
    const taken = setup(() => Promise.reject(AppException.conflict(EMAIL_TAKEN, 'email')));
    const refusal = taken.service.create(admin, {
      email: 'a@example.com',
      full_name: 'A',
      mobile: '1234567',
    });
    await expect(refusal).rejects.toMatchObject(refused(400, EMAIL_TAKEN));
    await expect(refusal).rejects.toHaveProperty('errors', { email: [EMAIL_TAKEN] });
    const deleted = setup(() => Promise.reject(AppException.conflict('User already deleted.')));
    await expect(deleted.service.remove(admin, { id: SELF })).rejects.toMatchObject({
      ...refused(400, 'User already deleted.'),
      errors: undefined,
    });
  });

  it('passes 403s through and wraps successes in the envelope', async () => {
    const forbidden = setup(() =>
      Promise.reject(AppException.forbidden('You are not allowed to update these fields.')),
    );
    await expect(
      forbidden.service.update(member, { id: SELF, is_staff: true }),
    ).rejects.toMatchObject(refused(403, 'You are not allowed to update these fields.'));
    const { service } = setup();
    expect(await service.remove(admin, { id: SELF })).toEqual({
      data: [user],
      message: 'User deleted successfully',
    });
    expect(await service.update(admin, { id: SELF })).toEqual({
      data: [user],
      message: 'Details updated successfully.',
    });
  });
});
