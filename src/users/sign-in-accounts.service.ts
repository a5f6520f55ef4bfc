import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Batcher } from '../common/background/batcher';
import { userObjectSql } from '../events/event-user';
import { SignInStep } from '../sessions/sessions.service';
import { PreparedQueries } from '../database/prepared-queries';
import { isUniqueViolation } from '../database/unique-violation';
import { toUserResponse, UserResponse } from './dto/user.response';
import { canSignIn, canSignInSql, emailMatches, User } from './entities/user.entity';
import { emailTaken, insertUserIfAbsent, lockUser } from './user-locks';
import { AppException } from '../common/errors/app.exception';
import { EMAIL_TAKEN } from './user-accounts.service';

/** What the sign-in flows need of an account, and nothing more (no profile, no entity). */
export interface SignInAccount {
  id: string;
  /** The stored, canonical address: the one mails go to. */
  email: string;
  fullName: string;
  passwordHash: string | null;
  canSignIn: boolean;
  /** Password-login failures since the last sign-in. */
  failedPasswordLogins: number;
  /** The language of the account's mails; null: the request's Accept-Language, else the default. */
  locale: string | null;
  /** Not written yet: a code login's sign-up, created by the statement that signs it in (SIGN_IN_STEP). */
  isNew?: boolean;
}

/** A verified account made by a confirmed registration. */
export interface VerifiedAccountFields {
  email: string;
  fullName: string;
  mobile: string | null;
  passwordHash: string;
  locale: string | null;
}

/**
 * Plain SQL on the hottest path (every sign-in and code request): TypeORM's `findOne` spent more
 * CPU building the query and the entity than the database spent answering.
 */
export const SELECT_SIGN_IN_ACCOUNT = `
  SELECT id, email, full_name AS "fullName", password_hash AS "passwordHash",
         ${canSignInSql('users')} AS "canSignIn", failed_password_logins AS "failedPasswordLogins",
         locale
  FROM users WHERE ${emailMatches('email', '$1')}`;

/**
 * The lookups of several concurrent requests in one statement: `$1` is their emails in order,
 * `n` says whose each found row is (one index probe per email, as alone).
 */
const SELECT_SIGN_IN_ACCOUNTS = `
  SELECT q.n::int AS n, u.id, u.email, u.full_name AS "fullName", u.password_hash AS "passwordHash",
         ${canSignInSql('u')} AS "canSignIn", u.failed_password_logins AS "failedPasswordLogins",
         u.locale
  FROM unnest($1::text[]) WITH ORDINALITY AS q(email, n)
  -- One index probe per address. As a plain join the planner, expecting 100 addresses, hashed
  -- a scan of the whole users table once it held a few thousand rows (4-6 ms a lookup).
  CROSS JOIN LATERAL (
    SELECT * FROM users WHERE ${emailMatches('users.email', 'q.email')} LIMIT 1
  ) u`;
// 50 connections' worth: a lookup waits at most for one statement of this size.
const LOOKUP_BATCH = 64;

const SELECT_SIGN_IN_ACCOUNT_BY_ID = SELECT_SIGN_IN_ACCOUNT.replace(
  `WHERE ${emailMatches('email', '$1')}`,
  'WHERE id = $1',
);

// By email, so an unknown address runs the same statement (and finds no row).
const RECORD_PASSWORD_FAILURE = `
  UPDATE users SET failed_password_logins = failed_password_logins + 1
  WHERE ${emailMatches('email', '$1')}
  RETURNING failed_password_logins AS "failedPasswordLogins"`;

const UNLOCK = `
  UPDATE users SET failed_password_logins = 0, updated_at = now()
  WHERE id = $1 RETURNING failed_password_logins AS "failedPasswordLogins"`;

/**
 * The users step of the sign-in statement (SessionsService.openAfter), over its `signing_in` rows:
 * records each sign-in of an existing account and yields the row while the account may sign in
 * (its row lock is the one a concurrent deactivation takes: whichever commits second sees the
 * other); a code login's sign-up (`is_new`) is created signed in, instead of an INSERT and then an
 * UPDATE (a round trip, commit and row version less), and yields nothing when the address was
 * taken a moment ago (a racing login or a confirmed registration).
 */
export const SIGN_IN_STEP: SignInStep = {
  sql: `
  created AS (
    INSERT INTO users (id, email, locale, is_verified, last_login)
    SELECT user_id, email, locale, true, now() FROM signing_in WHERE is_new
    ON CONFLICT DO NOTHING RETURNING *),
  recorded AS (
    UPDATE users SET last_login = now(), is_verified = true, updated_at = now(),
                     failed_password_logins = 0
    FROM signing_in
    WHERE users.id = signing_in.user_id AND NOT signing_in.is_new AND ${canSignInSql('users')}
    RETURNING users.*),
  account AS (SELECT * FROM created UNION ALL SELECT * FROM recorded)`,
  user: userObjectSql,
};

/** Accounts as the sign-in flows need them: lookups, sign-up by code or registration, new passwords. */
@Injectable()
export class SignInAccountsService {
  /** Sign-in and code requests look accounts up together, one statement for all that wait. */
  private readonly lookups = new Batcher<string, SignInAccount | null>(
    (emails) => this.findAll(emails),
    LOOKUP_BATCH,
  );

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly prepared: PreparedQueries,
  ) {}

  /**
   * Any account with this canonical email, deleted ones included. `lingerMs`: how long the lookup
   * may wait for others to share its statement (Batcher.add).
   */
  findByEmail(email: string, lingerMs = 0): Promise<SignInAccount | null> {
    return this.lookups.add(email, lingerMs);
  }

  /** The account of a signed-in caller. */
  async findById(id: string): Promise<SignInAccount | null> {
    const [account] = await this.prepared.query<SignInAccount>(SELECT_SIGN_IN_ACCOUNT_BY_ID, [id]);
    return account ?? null;
  }

  /**
   * The account a code login signs in to: the existing active one, or (when sign-up by code is
   * allowed) a new one (`isNew`, written by the sign-in statement: SIGN_IN_STEP), speaking
   * `locale` (null: follow Accept-Language). Null for inactive or deleted accounts.
   */
  async findOrCreateForCodeLogin(
    email: string,
    allowSignup: boolean,
    locale: string | null = null,
  ): Promise<SignInAccount | null> {
    const existing = await this.findByEmail(email);
    if (existing) return existing.canSignIn ? existing : null;
    if (!allowSignup) return null;
    return {
      id: randomUUID(),
      email,
      fullName: '',
      passwordHash: null,
      canSignIn: true,
      failedPasswordLogins: 0,
      locale,
      isNew: true,
    };
  }

  /** Counts a failed password login; the new count in a row, or null for an unknown email. */
  async recordPasswordFailure(email: string): Promise<number | null> {
    const [rows] = await this.users.query<[{ failedPasswordLogins: number }[], number]>(
      RECORD_PASSWORD_FAILURE,
      [email],
    );
    return rows[0]?.failedPasswordLogins ?? null;
  }

  /** Clears the failures in a row (an admin's unlock); false for an unknown id. */
  async unlockPasswordLogin(
    userId: string,
    manager: EntityManager = this.users.manager,
  ): Promise<boolean> {
    const [rows] = await manager.query<[unknown[], number]>(UNLOCK, [userId]);
    return rows.length > 0;
  }

  /** Creates a confirmed registration's account; null when the email has an account already. */
  async createVerified(
    fields: VerifiedAccountFields,
    manager: EntityManager,
  ): Promise<UserResponse | null> {
    const id = await insertUserIfAbsent(manager, {
      ...fields,
      isVerified: true,
      isActive: true,
      lastLogin: new Date(),
    });
    return id ? toUserResponse(await manager.getRepository(User).findOneByOrFail({ id })) : null;
  }

  /** The plain user object (as API answers show it), read in the caller's transaction, for events. */
  async userObject(
    userId: string,
    manager: EntityManager = this.users.manager,
  ): Promise<UserResponse> {
    return toUserResponse(
      await manager.getRepository(User).findOneOrFail({ where: { id: userId }, withDeleted: true }),
    );
  }

  /** A new password (reset or change); the address is proven, so the account counts as verified. */
  async setPassword(userId: string, passwordHash: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(User).update({ id: userId }, { passwordHash, isVerified: true });
  }

  /**
   * A password change: sets the new hash only while the old one is still `current` (null: none
   * yet). False when another change got there first, so of two changes at once one wins.
   */
  async replacePassword(
    userId: string,
    current: string | null,
    passwordHash: string,
    manager: EntityManager,
  ): Promise<boolean> {
    const updated = await manager
      .createQueryBuilder()
      .update(User)
      .set({ passwordHash, isVerified: true })
      .where('id = :userId', { userId })
      .andWhere(current === null ? 'password_hash IS NULL' : 'password_hash = :current', {
        current,
      })
      .returning(['id'])
      .execute();
    return (updated.raw as { id: string }[]).length > 0;
  }

  /**
   * Moves a confirmed email change onto the account, in the caller's transaction: the user row is
   * locked, an account that may no longer sign in gives null, an address taken meanwhile (also by
   * a racing change) is a 409 on `field`.
   */
  async changeEmail(
    userId: string,
    newEmail: string,
    field: string,
    manager: EntityManager,
  ): Promise<UserResponse | null> {
    const user = await lockUser(manager, userId);
    if (!canSignIn(user)) return null;
    if (await emailTaken(manager, newEmail)) throw AppException.conflict(EMAIL_TAKEN, field);
    try {
      await manager.getRepository(User).update({ id: userId }, { email: newEmail });
    } catch (error) {
      if (isUniqueViolation(error)) throw AppException.conflict(EMAIL_TAKEN, field);
      throw error;
    }
    return toUserResponse(await manager.getRepository(User).findOneByOrFail({ id: userId }));
  }

  private async findAll(emails: string[]): Promise<(SignInAccount | null)[]> {
    const rows = await this.prepared.query<SignInAccount & { n: number }>(SELECT_SIGN_IN_ACCOUNTS, [
      emails,
    ]);
    const found: (SignInAccount | null)[] = emails.map(() => null);
    for (const { n, ...account } of rows) found[n - 1] = account;
    return found;
  }
}
