import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Caller, callerSessionId, ClientInfo } from '../common/auth/auth-user';
import { actorOf, contextOf, userTarget } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { AppException } from '../common/errors/app.exception';
import { MailService } from '../mail/mail.service';
import { AuthEventsService } from '../observability/auth-events.service';
import { SignInAccount, SignInAccountsService } from '../users/sign-in-accounts.service';
import { UserCacheService } from '../users/user-cache.service';
import { USER_NOT_FOUND } from '../users/users-query.service';
import { accountProtectionConfig, AccountProtectionConfig } from './account-protection.config';

/**
 * The hard stop for password guessing: after ACCOUNT_LOCK_THRESHOLD failed password logins in a
 * row (counted in the users table, so no cache flush resets it) password login is locked. Answers
 * stay the uniform "Invalid email or password."; the owner gets one mail; a code login (which
 * proves the mailbox) or an admin unlocks it.
 */
@Injectable()
export class AccountLockService {
  constructor(
    private readonly accounts: SignInAccountsService,
    private readonly mail: MailService,
    private readonly events: AuthEventsService,
    private readonly domainEvents: EventsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(accountProtectionConfig.KEY) private readonly config: AccountProtectionConfig,
    private readonly userCache: UserCacheService,
  ) {}

  isLocked(account: SignInAccount): boolean {
    return account.failedPasswordLogins >= this.config.lockThreshold;
  }

  /** Counts a failure (the same statement for unknown emails); the one that locks mails the owner. */
  async recordFailure(
    email: string,
    account: SignInAccount | null,
    client?: ClientInfo,
  ): Promise<void> {
    const count = await this.accounts.recordPasswordFailure(email);
    if (count !== this.config.lockThreshold || !account?.canSignIn) return;
    await this.mail.enqueue({
      to: account.email,
      template: 'account-locked',
      context: { name: account.fullName || undefined },
      // Not the request's Accept-Language: that request is most likely someone else's.
      language: { stored: account.locale },
    });
    this.events.accountLock('locked', { userId: account.id });
    // Recorded now, not soon: the lock changed data, and receivers of `account.locked` need it.
    await this.dataSource.transaction((manager) =>
      this.domainEvents.record(manager, {
        action: 'account.locked',
        actor: { type: 'system', id: null },
        target: userTarget(account.id),
        context: contextOf(client),
        metadata: { failures: count },
        userId: account.id,
      }),
    );
  }

  /** A code login just cleared the failures (recordSignIn did): say so if that lifted a lock. */
  noteSignIn(account: SignInAccount, client?: ClientInfo): void {
    if (!this.isLocked(account)) return;
    this.events.accountLock('unlocked', { userId: account.id, by: 'code_login' });
    this.domainEvents.recordSoon({
      action: 'account.unlocked',
      actor: { type: 'user', id: account.id },
      target: userTarget(account.id),
      context: contextOf(client),
      metadata: { by: 'code_login' },
    });
  }

  /** An admin lifts the lock (or clears a count on its way there); 404 for an unknown user. */
  async unlock(admin: Caller, userId: string, client?: ClientInfo): Promise<void> {
    const found = await this.dataSource.transaction(async (manager) => {
      if (!(await this.accounts.unlockPasswordLogin(userId, manager))) return false;
      await this.domainEvents.record(manager, {
        action: 'account.unlocked',
        actor: actorOf(admin, userId),
        target: userTarget(userId),
        context: contextOf(client, callerSessionId(admin)),
        metadata: { by: 'admin' },
      });
      return true;
    });
    if (!found) throw AppException.notFound(USER_NOT_FOUND);
    await this.userCache.changed(userId);
    this.events.accountLock('unlocked', { userId, by: 'admin', actor: actorOf(admin, userId) });
  }
}
