import {
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity({ name: 'users' })
// A deleted account is never active, so `is_active` alone answers "may this account sign in".
@Check('users_deleted_inactive_check', 'deleted_at IS NULL OR NOT is_active')
@Index('users_email_lower_key', { synchronize: false })
@Index('users_created_at_idx', ['createdAt'])
// With the id tie-breaker, so pages stay index-ordered through the many equal ('') names.
@Index('users_full_name_id_idx', ['fullName', 'id'])
// Written by hand in the UsersListing migration (expressions, partial predicates, pg_trgm GIN),
// which TypeORM cannot describe; see docs/users-listing.md.
@Index('users_last_login_id_idx', { synchronize: false })
@Index('users_staff_created_at_idx', { synchronize: false })
@Index('users_inactive_created_at_idx', { synchronize: false })
@Index('users_email_trgm_idx', { synchronize: false })
@Index('users_full_name_trgm_idx', { synchronize: false })
@Index('users_mobile_trgm_idx', { synchronize: false })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Always the canonical form (trimmed, NFC, lower-cased, punycode domain). */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'full_name', type: 'varchar', length: 150, default: '' })
  fullName!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  mobile!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  gender!: string | null;

  @Column({ type: 'date', nullable: true })
  dob!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  address!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  city!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  state!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  country!: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  pincode!: string | null;

  /** The language of the user's mails; null: the request's Accept-Language, else MAIL_DEFAULT_LOCALE. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  locale!: string | null;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ name: 'is_staff', type: 'boolean', default: false })
  isStaff!: boolean;

  @Column({ name: 'is_verified', type: 'boolean', default: false })
  isVerified!: boolean;

  /** Password-login failures since the last sign-in; at ACCOUNT_LOCK_THRESHOLD password login is locked. */
  @Column({ name: 'failed_password_logins', type: 'integer', default: 0 })
  failedPasswordLogins!: number;

  @Column({ name: 'last_login', type: 'timestamptz', nullable: true })
  lastLogin!: Date | null;

  /** Banned until then (a ban without end: 9999-12-31T23:59:59Z); the ban ends by itself. */
  @Column({ name: 'banned_until', type: 'timestamptz', nullable: true })
  bannedUntil!: Date | null;

  /** Why (shown to admins only). */
  @Column({ name: 'ban_reason', type: 'varchar', length: 500, nullable: true })
  banReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}

/**
 * The one email match: `lower(email)` is what the unique index covers (emails are stored
 * canonical, so it changes no match); a plain `email = ...` would scan the whole table.
 */
export function emailMatches(column: string, parameter: string): string {
  return `lower(${column}) = lower(${parameter})`;
}

/**
 * May this account sign in? The one rule, in SQL and in code. The CHECK constraint above keeps
 * deleted accounts inactive, so `is_active` and no running ban answer it.
 */
export function canSignInSql(alias: string): string {
  return `(${alias}.is_active AND (${alias}.banned_until IS NULL OR ${alias}.banned_until <= now()))`;
}

export function canSignIn(user: Pick<User, 'isActive' | 'bannedUntil'>): boolean {
  return user.isActive && !isBanned(user);
}

/** A ban is running until `banned_until`; after it the account is usable again by itself. */
export function isBanned(user: Pick<User, 'bannedUntil'>, now = new Date()): boolean {
  return user.bannedUntil !== null && user.bannedUntil > now;
}
