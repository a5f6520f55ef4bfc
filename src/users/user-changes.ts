import { User } from './entities/user.entity';

/** The request fields a regular user may change on their own account. */
export const PROFILE_FIELDS = [
  'full_name',
  'mobile',
  'gender',
  'dob',
  'address',
  'city',
  'state',
  'country',
  'pincode',
  'locale',
] as const;

/** Fields only admins may change. */
export const ADMIN_FIELDS = ['email', 'is_active', 'is_staff'] as const;

export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type AdminField = (typeof ADMIN_FIELDS)[number];

/** The updatable request fields, as the DTOs declare them. */
export type UserFields = Partial<
  Record<ProfileField, string | null> & { email: string; is_active: boolean; is_staff: boolean }
>;

export const FORBIDDEN_FIELD_MESSAGE = 'You are not allowed to update this field.';

/** The fields of `fields` that a regular user sent but may not change (sent = not undefined). */
export function forbiddenFields(fields: UserFields, isAdmin: boolean): AdminField[] {
  return isAdmin ? [] : ADMIN_FIELDS.filter((field) => fields[field] !== undefined);
}

/**
 * Request fields → entity columns, one by one: nothing else of a request body can reach an entity.
 * Only fields that were sent appear in the result.
 */
export function toUserChanges(fields: UserFields): Partial<User> {
  const changes: Partial<User> = {};
  if (fields.email !== undefined) changes.email = fields.email;
  if (fields.full_name !== undefined && fields.full_name !== null)
    changes.fullName = fields.full_name;
  if (fields.mobile !== undefined) changes.mobile = fields.mobile;
  if (fields.gender !== undefined) changes.gender = fields.gender;
  if (fields.dob !== undefined) changes.dob = fields.dob;
  if (fields.address !== undefined) changes.address = fields.address;
  if (fields.city !== undefined) changes.city = fields.city;
  if (fields.state !== undefined) changes.state = fields.state;
  if (fields.country !== undefined) changes.country = fields.country;
  if (fields.pincode !== undefined) changes.pincode = fields.pincode;
  if (fields.locale !== undefined) changes.locale = fields.locale;
  if (fields.is_active !== undefined) changes.isActive = fields.is_active;
  if (fields.is_staff !== undefined) changes.isStaff = fields.is_staff;
  return changes;
}

/** Entity columns → the request field names they come from (toUserChanges backwards). */
const REQUEST_FIELDS: Partial<Record<keyof User, ProfileField | AdminField>> = {
  email: 'email',
  fullName: 'full_name',
  mobile: 'mobile',
  gender: 'gender',
  dob: 'dob',
  address: 'address',
  city: 'city',
  state: 'state',
  country: 'country',
  pincode: 'pincode',
  locale: 'locale',
  isActive: 'is_active',
  isStaff: 'is_staff',
};

/** The request names of the fields `changes` sets, for log events: `['full_name', 'city']`. */
export function changedFields(changes: Partial<User>): (ProfileField | AdminField)[] {
  return (Object.keys(changes) as (keyof User)[]).flatMap((key) => REQUEST_FIELDS[key] ?? []);
}

/** What a committed change did: the sessions it ended (ids) and the request fields it changed. */
export interface AppliedChanges {
  revoked: string[];
  fields: string[];
}

/** Only the changes that differ from the stored user (so a no-op never ends sessions). */
export function actualChanges(user: User, changes: Partial<User>): Partial<User> {
  const result: Partial<User> = {};
  for (const key of Object.keys(changes) as (keyof User)[]) {
    if (changes[key] !== user[key]) Object.assign(result, { [key]: changes[key] });
  }
  return result;
}

/** Changing who someone is (email) or what they may do (admin, active) ends their sessions. */
export function endsSessions(changes: Partial<User>): boolean {
  return changes.email !== undefined || changes.isStaff !== undefined || changes.isActive === false;
}
