import { DataSource } from 'typeorm';
import { mailsTo, waitForCode } from './mailbox';
import { TestApp } from './test-app';

export const PASSWORD = 'k3!vQ9#zLm-2026';

export interface SignedIn {
  email: string;
  access: string;
  refresh: string;
}

/** Registers and confirms through the API, reading the code from /dev/mailbox. */
export async function signUp(t: TestApp, email: string, password = PASSWORD): Promise<SignedIn> {
  const before = (await mailsTo(t, email)).length;
  const res = await t.post('/api/users/register/', { email, password, full_name: 'Test User' });
  if (res.status !== 200) throw new Error(`register answered ${res.status}: ${res.text}`);
  const otp = await waitForCode(t, email, before);
  const confirmed = await t.post('/api/users/confirm-otp/', { email, otp });
  if (confirmed.status !== 201) throw new Error(`confirm answered ${confirmed.status}`);
  return { email, access: confirmed.body.access, refresh: confirmed.body.refresh };
}

/** A passwordless account, made by a first code login. */
export async function signUpByCode(t: TestApp, email: string): Promise<SignedIn> {
  const before = (await mailsTo(t, email)).length;
  await t.post('/api/users/get-otp/', { email });
  const otp = await waitForCode(t, email, before);
  const res = await t.post('/api/users/login/', { email, otp });
  if (res.status !== 200) throw new Error(`code login answered ${res.status}`);
  return { email, access: res.body.access, refresh: res.body.refresh };
}

/** Test setup only: the admin API is not what these suites are about. */
export async function deactivate(t: TestApp, email: string): Promise<void> {
  await t.app.get(DataSource).query('UPDATE users SET is_active = false WHERE email = $1', [email]);
}
