import { uniqueEmail } from './mailbox';
import { TestApp } from './test-app';

/** The user object as the tests read it. */
export interface UserObject {
  id: string;
  email: string;
  full_name: string;
  [field: string]: unknown;
}

export interface UserListBody {
  data: UserObject[];
  message: string;
  meta: { page: number; limit: number; total: number };
}

export interface SessionObject {
  id: string;
  current: boolean;
  [field: string]: unknown;
}

/** Users-suite settings: an admin from ADMIN_EMAIL and no send limits getting in the way. */
export function usersEnv(adminEmail: string): Record<string, string> {
  return { ADMIN_EMAIL: adminEmail, OTP_RESEND_SECONDS: '0', OTP_MAX_SENDS_PER_HOUR: '1000' };
}

/** The user object's exact fields (API.md, "The user object"). */
export const USER_FIELDS = [
  'id',
  'email',
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
  'is_active',
  'is_staff',
  'is_verified',
  'has_password',
  'last_login',
  'banned_until',
  'created_at',
  'updated_at',
].sort();

export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

let marker = 0;
/** A word no other test's users contain, to scope searches to one test's data. */
export function uniqueMarker(prefix = 'Zq'): string {
  marker += 1;
  return `${prefix}${Date.now().toString(36)}x${marker}`;
}

/** An admin adds a user through POST /api/users/; returns the user object. */
export async function createUser(
  t: TestApp,
  adminToken: string,
  fields: Record<string, unknown> = {},
): Promise<UserObject> {
  const res = await t.post(
    '/api/users/',
    { email: uniqueEmail('made'), full_name: 'Made User', mobile: '1234567890', ...fields },
    { token: adminToken },
  );
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${res.text}`);
  return (res.body as { data: UserObject[] }).data[0];
}
