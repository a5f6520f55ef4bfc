import type { EntityManager } from 'typeorm';

/** A timestamptz as toISOString() writes it (milliseconds, `Z`). */
const isoSql = (value: string) =>
  `to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The user object of the API (users' toUserResponse) as SQL json over a users row named `row` in a
 * statement: what events carry as `data.user` when the emitter does not hold the object. The
 * webhook e2e suite checks that it agrees with the API's answers.
 */
export function userObjectSql(row: string): string {
  const column = (name: string) => `'${name}', ${row}.${name}`;
  return `json_build_object(
    ${['id', 'email', 'full_name', 'mobile', 'gender'].map(column).join(', ')},
    'dob', ${row}.dob::text,
    ${['address', 'city', 'state', 'country', 'pincode', 'locale'].map(column).join(', ')},
    ${['is_active', 'is_staff', 'is_verified'].map(column).join(', ')},
    'has_password', ${row}.password_hash IS NOT NULL,
    'last_login', ${isoSql(`${row}.last_login`)},
    'banned_until', CASE WHEN ${row}.banned_until > now() THEN ${isoSql(`${row}.banned_until`)} END,
    'created_at', ${isoSql(`${row}.created_at`)},
    'updated_at', ${isoSql(`${row}.updated_at`)})`;
}

const USERS_BY_ID = `SELECT u.id, ${userObjectSql('u')} AS "user" FROM users u WHERE u.id = ANY($1::uuid[])`;

/** The user objects of these users as they stand in `manager`'s transaction, by id. */
export async function userObjectsOf(
  manager: EntityManager,
  ids: readonly string[],
): Promise<Map<string, object>> {
  const rows = await manager.query<{ id: string; user: object }[]>(USERS_BY_ID, [[...ids]]);
  return new Map(rows.map((row) => [row.id, row.user]));
}
