import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  FindOperator,
  PrimaryGeneratedColumn,
  Raw,
  UpdateDateColumn,
} from 'typeorm';

@Entity({ name: 'users' })
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

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ name: 'is_staff', type: 'boolean', default: false })
  isStaff!: boolean;

  @Column({ name: 'is_verified', type: 'boolean', default: false })
  isVerified!: boolean;

  @Column({ name: 'last_login', type: 'timestamptz', nullable: true })
  lastLogin!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}

/**
 * Finds by email through the unique index on `lower(email)`; a plain `email = ...` would scan
 * the whole table, as that index is the only one on the column.
 */
export function sameEmail(email: string): FindOperator<string> {
  // Raw is typed FindOperator<any>; the column it compares is a string.
  return Raw((column) => `lower(${column}) = lower(:email)`, { email }) as FindOperator<string>;
}
