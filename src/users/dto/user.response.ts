import { ApiProperty } from '@nestjs/swagger';
import { MAIL_LOCALES } from '../../mail/mail-locales';
import { isBanned, User } from '../entities/user.entity';

/** The user object of the API: never hashes, never deletion internals. */
export class UserResponse {
  @ApiProperty({ format: 'uuid', example: '3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a11' })
  id!: string;

  @ApiProperty({ example: 'user@example.com' })
  email!: string;

  @ApiProperty({ example: 'Asha Rao' })
  full_name!: string;

  @ApiProperty({ nullable: true, type: String, example: '+919876543210' })
  mobile!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'female' })
  gender!: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date', example: '1990-04-01' })
  dob!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '12 MG Road' })
  address!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Bengaluru' })
  city!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'Karnataka' })
  state!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'India' })
  country!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '560001' })
  pincode!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    enum: MAIL_LOCALES,
    example: 'de',
    description:
      'Language of the user’s mails; null: the request’s Accept-Language, else the default',
  })
  locale!: string | null;

  @ApiProperty({ example: true })
  is_active!: boolean;

  @ApiProperty({ example: false })
  is_staff!: boolean;

  @ApiProperty({ example: true })
  is_verified!: boolean;

  @ApiProperty({ example: false, description: 'Whether password login is possible' })
  has_password!: boolean;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    example: '2026-11-21T07:00:00.000Z',
  })
  last_login!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    example: null,
    description:
      'End of a running ban (`9999-12-31T23:59:59.000Z` when it has none); null when not banned',
  })
  banned_until!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-11-20T10:00:00.000Z' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-21T07:00:00.000Z' })
  updated_at!: string;
}

export function toUserResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    full_name: user.fullName,
    mobile: user.mobile,
    gender: user.gender,
    dob: user.dob,
    address: user.address,
    city: user.city,
    state: user.state,
    country: user.country,
    pincode: user.pincode,
    locale: user.locale,
    is_active: user.isActive,
    is_staff: user.isStaff,
    is_verified: user.isVerified,
    has_password: user.passwordHash !== null,
    last_login: user.lastLogin?.toISOString() ?? null,
    banned_until: isBanned(user) ? user.bannedUntil!.toISOString() : null,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

/** The user object as answered now: a ban that has ended shows as none (as `toUserResponse`). */
export function withRunningBan(user: UserResponse): UserResponse {
  return user.banned_until !== null && Date.parse(user.banned_until) <= Date.now()
    ? { ...user, banned_until: null }
    : user;
}

/** The user object straight from SQL, for the hot path; must agree with toUserResponse. */
export const SELECT_USER_RESPONSE = `
  SELECT id, email, full_name, mobile, gender, dob::text AS dob, address, city, state, country,
         pincode, locale, is_active, is_staff, is_verified, password_hash IS NOT NULL AS has_password,
         last_login, banned_until, created_at, updated_at
  FROM users WHERE id = $1`;

export type UserRow = Omit<
  UserResponse,
  'last_login' | 'banned_until' | 'created_at' | 'updated_at'
> & {
  last_login: Date | null;
  banned_until: Date | null;
  created_at: Date;
  updated_at: Date;
};

/** `banned_until` as stored, ended or not: `withRunningBan` tells when it is read. */
export function fromUserRow(row: UserRow): UserResponse {
  return {
    ...row,
    last_login: row.last_login?.toISOString() ?? null,
    banned_until: row.banned_until?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
