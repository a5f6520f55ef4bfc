import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { User } from './entities/user.entity';

const UNIQUE_VIOLATION = '23505';

/** User records as the sign-in flows need them; admin and self management live in the users routes. */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** Any account with this canonical email, deleted ones included. */
  findByEmail(email: string): Promise<User | null> {
    return this.users.findOne({ where: { email }, withDeleted: true });
  }

  /**
   * The account a code login signs in to: the existing active one, or (when sign-up by code is
   * allowed) a new verified one. Null for inactive or deleted accounts.
   */
  async findOrCreateForCodeLogin(email: string, allowSignup: boolean): Promise<User | null> {
    const existing = await this.findByEmail(email);
    if (existing) return this.canSignIn(existing) ? existing : null;
    if (!allowSignup) return null;
    try {
      // insert, not save: no wrapping transaction and no reload, the id comes back with RETURNING.
      const user = this.users.create({ email, isVerified: true });
      await this.users.insert(user);
      return user;
    } catch (error) {
      // Someone created it a moment ago (a racing login or a confirmed registration).
      if (isUniqueViolation(error)) {
        const raced = await this.findByEmail(email);
        return raced && this.canSignIn(raced) ? raced : null;
      }
      throw error;
    }
  }

  canSignIn(user: User): boolean {
    return user.isActive && user.deletedAt === null;
  }

  async recordLogin(userId: string): Promise<void> {
    await this.users.update({ id: userId }, { lastLogin: new Date(), isVerified: true });
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
  );
}
