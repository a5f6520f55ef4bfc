import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import {
  Caller,
  callerSessionId,
  callerUserId,
  ClientInfo,
  isAdminCaller,
} from '../common/auth/auth-user';
import { AppException } from '../common/errors/app.exception';
import { isUniqueViolation } from '../database/unique-violation';
import { actorOf, contextOf, userTarget } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { EmailValidationService } from '../email-validation/email-validation.service';
import { AuthEventsService } from '../observability/auth-events.service';
import { SessionsService } from '../sessions/sessions.service';
import { UserCacheService } from './user-cache.service';
import {
  assertAdminRemains,
  assertStillAdmin,
  emailTaken,
  lockActiveAdmins,
  lockUser,
} from './user-locks';
import { CreateUserDto } from './dto/create-user.dto';
import { toUserResponse, UserResponse } from './dto/user.response';
import { User } from './entities/user.entity';
import {
  actualChanges,
  AppliedChanges,
  changedFields,
  endsSessions,
  FORBIDDEN_FIELD_MESSAGE,
  forbiddenFields,
  toUserChanges,
  UserFields,
} from './user-changes';

export const EMAIL_TAKEN = 'Email already registered.';
export const NOT_YOUR_ACCOUNT = 'You are not authorized to update other users.';
export const FORBIDDEN_FIELDS = 'You are not allowed to update these fields.';
export const SELF_DEMOTE = 'You cannot remove your own admin rights. Ask another admin.';
export const SELF_DEACTIVATE = 'You cannot deactivate your own account. Ask another admin.';

/** Creating users (admins) and changing them: who may change which field, and what it ends. */
@Injectable()
export class UserAccountsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly emailValidation: EmailValidationService,
    private readonly events: AuthEventsService,
    private readonly domainEvents: EventsService,
    private readonly userCache: UserCacheService,
  ) {}

  /** An admin adds an account; the person signs in later with a code sent to that email. */
  async create(actor: Caller, dto: CreateUserDto, client?: ClientInfo): Promise<UserResponse> {
    await this.emailValidation.validate(dto.email);
    // Checked first so the usual case logs no failed query; the unique index settles races.
    if (await emailTaken(this.users.manager, dto.email))
      throw AppException.conflict(EMAIL_TAKEN, 'email');
    let created: User;
    try {
      created = await this.dataSource.transaction(async (manager) => {
        const user = await manager.save(this.users.create(toUserChanges(dto)));
        await this.domainEvents.record(manager, {
          action: 'user.created',
          actor: actorOf(actor, user.id),
          target: userTarget(user.id),
          context: contextOf(client, callerSessionId(actor)),
          metadata: { via: 'admin' },
          user: toUserResponse(user),
        });
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw AppException.conflict(EMAIL_TAKEN, 'email');
      throw error;
    }
    this.events.adminChange('create', {
      actor: actorOf(actor, created.id),
      targetUserId: created.id,
    });
    return toUserResponse(created);
  }

  /**
   * Applies the fields `actor` may change to user `id`. Regular users: only their own profile
   * fields. Admins: any field of anyone, but never their own demotion or deactivation, and never
   * the last active admin's. A change of email, admin rights or deactivation ends the sessions.
   * An `admin` API key acts as an admin who is nobody's self.
   */
  async update(
    actor: Caller,
    id: string,
    fields: UserFields,
    client?: ClientInfo,
  ): Promise<UserResponse> {
    const admin = isAdminCaller(actor);
    const self = id === callerUserId(actor);
    if (!admin && !self) throw AppException.forbidden(NOT_YOUR_ACCOUNT);
    const forbidden = forbiddenFields(fields, admin);
    if (forbidden.length > 0)
      throw AppException.forbidden(
        FORBIDDEN_FIELDS,
        Object.fromEntries(forbidden.map((field) => [field, [FORBIDDEN_FIELD_MESSAGE]])),
      );
    const requested = toUserChanges(fields);
    if (requested.email !== undefined) await this.emailValidation.validate(requested.email);
    if (self && requested.isStaff === false) throw AppException.conflict(SELF_DEMOTE);
    if (self && requested.isActive === false) throw AppException.conflict(SELF_DEACTIVATE);

    let applied: AppliedChanges = { revoked: [], fields: [] };
    try {
      applied = await this.dataSource.transaction((manager) =>
        this.applyChanges(manager, actor, id, requested, client),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw AppException.conflict(EMAIL_TAKEN, 'email');
      throw error;
    }
    await this.userCache.changed(id);
    await this.sessions.publishRevocations(applied.revoked);
    if (admin && !self) {
      this.events.adminChange('update', {
        actor: actorOf(actor, id),
        targetUserId: id,
        fields: applied.fields,
      });
    }
    const updated = await this.users.findOneOrFail({ where: { id }, withDeleted: true });
    return toUserResponse(updated);
  }

  /** Inside one transaction: locks, checks the admin rule, writes, ends sessions. */
  private async applyChanges(
    manager: EntityManager,
    actor: Caller,
    id: string,
    requested: Partial<User>,
    client?: ClientInfo,
  ): Promise<AppliedChanges> {
    const removesAdmin = requested.isStaff === false || requested.isActive === false;
    // Admin rows first, then the target: every path that can remove an admin locks in this order.
    const admins = removesAdmin ? await lockActiveAdmins(manager) : null;
    const actorId = callerUserId(actor);
    if (admins && actorId !== null && isAdminCaller(actor)) assertStillAdmin(admins, actorId);
    const user = await lockUser(manager, id);
    const changes = actualChanges(user, requested);
    if (admins && (changes.isStaff === false || changes.isActive === false))
      assertAdminRemains(admins, id);
    if (changes.email !== undefined && (await emailTaken(manager, changes.email)))
      throw AppException.conflict(EMAIL_TAKEN, 'email');
    // Reactivating also undoes a soft delete: `is_active: true` means usable again.
    if (requested.isActive === true && user.deletedAt !== null) changes.deletedAt = null;
    if (Object.keys(changes).length === 0) return { revoked: [], fields: [] };
    await manager.getRepository(User).update({ id }, changes);
    const revoked = endsSessions(changes)
      ? await this.sessions.revokeAllForUserIn(
          manager,
          id,
          changes.isActive === false ? 'deactivated' : 'account_change',
        )
      : [];
    const fields = changedFields(changes);
    const updated = await manager
      .getRepository(User)
      .findOneOrFail({ where: { id }, withDeleted: true });
    await this.domainEvents.record(manager, {
      action: 'user.updated',
      actor: actorOf(actor, id),
      target: userTarget(id),
      context: contextOf(client, callerSessionId(actor)),
      metadata: { fields, sessions_ended: revoked.length },
      user: toUserResponse(updated),
    });
    return { revoked, fields };
  }
}
