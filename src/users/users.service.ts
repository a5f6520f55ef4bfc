import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { User } from './entities/user.entity';

const UNIQUE_VIOLATION = '23505';

/** What the sign-in flows need of an account, and nothing more (no profile, no entity). */
export interface SignInAccount {
  id: string;
  fullName: string;
  passwordHash: string | null;
  /** Active and not deleted. */
  canSignIn: boolean;
}

/**
 * Plain SQL on the hottest path (every sign-in and code request): TypeORM's `findOne` spent more
 * CPU building the query and the entity than the database spent answering. `lower(email)` is
 * what the unique index covers; emails are stored canonical, so it changes no match.
 */
export const SELECT_SIGN_IN_ACCOUNT = `
  SELECT id, full_name AS "fullName", password_hash AS "passwordHash",
         is_active AND deleted_at IS NULL AS "canSignIn"
  FROM users WHERE lower(email) = lower($1)`;

const RECORD_LOGIN = `
  UPDATE users SET last_login = now(), is_verified = true, updated_at = now() WHERE id = $1`;

/** User records as the sign-in flows need them; admin and self management live in the users routes. */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** Any account with this canonical email, deleted ones included. */
  async findSignInAccount(email: string): Promise<SignInAccount | null> {
    const [account] = await this.users.query<SignInAccount[]>(SELECT_SIGN_IN_ACCOUNT, [email]);
    return account ?? null;
  }

  /**
   * The account a code login signs in to: the existing active one, or (when sign-up by code is
   * allowed) a new verified one. Null for inactive or deleted accounts.
   */
  async findOrCreateForCodeLogin(
    email: string,
    allowSignup: boolean,
  ): Promise<SignInAccount | null> {
    const existing = await this.findSignInAccount(email);
    if (existing) return existing.canSignIn ? existing : null;
    if (!allowSignup) return null;
    try {
      // insert, not save: no wrapping transaction and no reload, the id comes back with RETURNING.
      const user = this.users.create({ email, isVerified: true });
      await this.users.insert(user);
      return { id: user.id, fullName: '', passwordHash: null, canSignIn: true };
    } catch (error) {
      // Someone created it a moment ago (a racing login or a confirmed registration).
      if (isUniqueViolation(error)) {
        const raced = await this.findSignInAccount(email);
        return raced?.canSignIn ? raced : null;
      }
      throw error;
    }
  }

  async recordLogin(userId: string): Promise<void> {
    await this.users.query(RECORD_LOGIN, [userId]);
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
  );
}
