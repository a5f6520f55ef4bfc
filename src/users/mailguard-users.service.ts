import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { Caller, callerUserId, ClientInfo, isAdminCaller } from '../common/auth/auth-user';
import { AppException, FieldErrors } from '../common/errors/app.exception';
import { CreateUserDto } from './dto/create-user.dto';
import { DEFAULT_PAGE_SIZE, ListUsersQuery } from './dto/list-users.query';
import { envelope, UserEnvelope, UserListEnvelope } from './dto/user-envelopes.response';
import { MailGuardUpdateUserDto, UserIdDto } from './dto/user-id.dto';
import { NOT_YOUR_ACCOUNT, UserAccountsService } from './user-accounts.service';
import { UserLifecycleService } from './user-lifecycle.service';
import { UsersQueryService } from './users-query.service';

export const ID_DOES_NOT_EXIST = 'ID does not exist.';

/**
 * The MailGuard routes on /api/users/ with the id in the body: the `{data: [...], message}`
 * envelope and MailGuard's status codes. Where the REST routes answer 404 or 409, these answer
 * 400 with the same sentence ("ID does not exist." for an unknown id).
 */
@Injectable()
export class MailGuardUsersService {
  constructor(
    private readonly query: UsersQueryService,
    private readonly accounts: UserAccountsService,
    private readonly lifecycle: UserLifecycleService,
  ) {}

  /** Admins: a page of users. Everyone else: a list holding only themselves. */
  async list(caller: Caller, params: ListUsersQuery): Promise<UserListEnvelope> {
    const message = 'Data retrieved successfully';
    if (isAdminCaller(caller)) {
      const page = await this.query.list(params);
      return { data: page.data, message, meta: page.meta };
    }
    const selfId = callerUserId(caller);
    if (selfId === null) throw AppException.forbidden();
    const self = await this.query.get(selfId);
    return {
      data: [self],
      message,
      meta: { page: 1, limit: params.limit ?? DEFAULT_PAGE_SIZE, total: 1 },
    };
  }

  async create(caller: Caller, dto: CreateUserDto, client?: ClientInfo): Promise<UserEnvelope> {
    const user = await asMailGuard(this.accounts.create(caller, dto, client));
    return envelope(user, 'User added successfully');
  }

  async update(
    caller: Caller,
    dto: MailGuardUpdateUserDto,
    client?: ClientInfo,
  ): Promise<UserEnvelope> {
    const id = uuidOrNull(dto.id);
    // The same 403 for another user's id and for ids that do not exist: ids cannot be probed.
    if (!isAdminCaller(caller) && id !== callerUserId(caller))
      throw AppException.forbidden(NOT_YOUR_ACCOUNT);
    if (id === null) throw idDoesNotExist();
    const user = await asMailGuard(this.accounts.update(caller, id, dto, client));
    return envelope(user, 'Details updated successfully.');
  }

  async remove(caller: Caller, dto: UserIdDto, client?: ClientInfo): Promise<UserEnvelope> {
    const id = uuidOrNull(dto.id);
    if (id === null) throw idDoesNotExist();
    const user = await asMailGuard(this.lifecycle.remove(caller, id, client));
    return envelope(user, 'User deleted successfully');
  }
}

function uuidOrNull(id: unknown): string | null {
  return typeof id === 'string' && isUUID(id) ? id.toLowerCase() : null;
}

function idDoesNotExist(): AppException {
  return AppException.validation(ID_DOES_NOT_EXIST, { id: [ID_DOES_NOT_EXIST] });
}

/** 404 → 400 "ID does not exist."; 409 → 400 with the same sentence. */
async function asMailGuard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof AppException)) throw error;
    const status: number = error.getStatus();
    if (status === 404) throw idDoesNotExist();
    if (status === 409) {
      const field = error.conflictField;
      const errors: FieldErrors | undefined = field ? { [field]: [error.message] } : undefined;
      throw AppException.validation(error.message, errors);
    }
    throw error;
  }
}
