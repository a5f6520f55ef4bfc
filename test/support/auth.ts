import { DataSource } from 'typeorm';
import { mailsTo, uniqueEmail, waitForCode } from './mailbox';
import { TestApp } from './test-app';

/** A password the strength check accepts. */
export const PASSWORD = 'k3!vQ9#zLm-2026';

/** A signed-in user as every suite reads it: the account and its first token pair. */
export interface SignedIn {
  email: string;
  id: string;
  access: string;
  refresh: string;
}

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Signs in the way a MailGuard client does: get-otp, read the code from /dev/mailbox, login.
 * A first code login also creates the (passwordless) account.
 */
export async function signInByCode(t: TestApp, email = uniqueEmail()): Promise<SignedIn> {
  const before = (await mailsTo(t, email)).length;
  const sent = await t.post('/api/users/get-otp/', { email });
  if (sent.status !== 200) throw new Error(`get-otp answered ${sent.status}`);
  const otp = await waitForCode(t, email, before);
  const login = await t.post('/api/users/login/', { email, otp });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.text}`);
  const me = await t.get('/api/users/me', { token: login.body.access });
  if (me.status !== 200) throw new Error(`me answered ${me.status}`);
  return { email, id: me.body.id, access: login.body.access, refresh: login.body.refresh };
}

/** Registers and confirms through the API, reading the code from /dev/mailbox. */
export async function signUpWithPassword(
  t: TestApp,
  email: string,
  password = PASSWORD,
): Promise<SignedIn> {
  const before = (await mailsTo(t, email)).length;
  const res = await t.post('/api/users/register/', { email, password, full_name: 'Test User' });
  if (res.status !== 200) throw new Error(`register answered ${res.status}: ${res.text}`);
  const otp = await waitForCode(t, email, before);
  const confirmed = await t.post('/api/users/confirm-otp/', { email, otp });
  if (confirmed.status !== 201) throw new Error(`confirm answered ${confirmed.status}`);
  const { access, refresh } = confirmed.body as { access: string; refresh: string };
  return { email, id: subjectOf(access), access, refresh };
}

/** Test setup only: the admin API is not what these suites are about. */
export async function deactivate(t: TestApp, email: string): Promise<void> {
  await t.app.get(DataSource).query('UPDATE users SET is_active = false WHERE email = $1', [email]);
}

/** The claims of an access token, read without verifying it (the tests' own tokens). */
export function claimsOf(access: string): { sub: string; exp: number; iat: number } {
  return JSON.parse(Buffer.from(access.split('.')[1], 'base64url').toString('utf8')) as {
    sub: string;
    exp: number;
    iat: number;
  };
}

function subjectOf(access: string): string {
  return claimsOf(access).sub;
}
