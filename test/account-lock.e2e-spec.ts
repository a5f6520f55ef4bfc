import { claimsOf, PASSWORD, signInByCode, signUpWithPassword } from './support/auth';
import { createTestDatabase } from './support/database';
import { mailsTo, uniqueEmail, waitForCode } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const REFUSED = {
  statusCode: 400,
  error: 'Bad Request',
  code: 'INVALID_CREDENTIALS',
  message: 'Invalid email or password.',
};
const LOCKED_SUBJECT = 'Password sign-in to your MailGuard account is locked';

function passwordLogin(t: TestApp, email: string, password: string) {
  return t.post('/api/users/login/', { email, password });
}

async function failTimes(t: TestApp, email: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await passwordLogin(t, email, 'wrong-Password-1');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(REFUSED);
  }
}

async function lockedMails(t: TestApp, email: string): Promise<number> {
  return (await mailsTo(t, email)).filter((mail) => mail.subject === LOCKED_SUBJECT).length;
}

describe('password login lock after failures in a row (ACCOUNT_LOCK_THRESHOLD=3)', () => {
  const adminEmail = uniqueEmail('admin');
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      ACCOUNT_LOCK_THRESHOLD: '3',
      OTP_RESEND_SECONDS: '0',
      ADMIN_EMAIL: adminEmail,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses even the right password once locked, with the same answer, and mails the owner once', async () => {
    const email = uniqueEmail();
    await signUpWithPassword(t, email);
    await failTimes(t, email, 3);
    const locked = await passwordLogin(t, email, PASSWORD);
    expect(locked.status).toBe(400);
    expect(locked.body).toEqual(REFUSED);
    await failTimes(t, email, 2);
    expect(await lockedMails(t, email)).toBe(1);
  });

  it('is lifted by a code login, which proves the mailbox', async () => {
    const email = uniqueEmail();
    await signUpWithPassword(t, email);
    await failTimes(t, email, 3);
    const before = (await mailsTo(t, email)).length;
    await t.post('/api/users/get-otp/', { email });
    const otp = await waitForCode(t, email, before);
    expect((await t.post('/api/users/login/', { email, otp })).status).toBe(200);
    expect((await passwordLogin(t, email, PASSWORD)).status).toBe(200);
  });

  it('counts only failures in a row: a success in between starts the count again', async () => {
    const email = uniqueEmail();
    await signUpWithPassword(t, email);
    await failTimes(t, email, 2);
    expect((await passwordLogin(t, email, PASSWORD)).status).toBe(200);
    await failTimes(t, email, 2);
    expect((await passwordLogin(t, email, PASSWORD)).status).toBe(200);
    expect(await lockedMails(t, email)).toBe(0);
  });

  it('is lifted by an admin (DELETE /api/admin/users/{id}/lockout), and only by an admin', async () => {
    const email = uniqueEmail();
    const user = await signUpWithPassword(t, email);
    await failTimes(t, email, 3);
    const path = `/api/admin/users/${claimsOf(user.access).sub}/lockout`;
    const refused = await t.delete(path, undefined, { token: user.access });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect((await passwordLogin(t, email, PASSWORD)).body).toEqual(REFUSED);

    const admin = await signInByCode(t, adminEmail);
    expect((await t.delete(path, undefined, { token: admin.access })).status).toBe(204);
    expect((await passwordLogin(t, email, PASSWORD)).status).toBe(200);
    const unknown = await t.delete(
      '/api/admin/users/3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a11/lockout',
      undefined,
      { token: admin.access },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('User not found.');
  });

  it('answers unknown emails exactly as locked ones', async () => {
    const res = await passwordLogin(t, uniqueEmail('nobody'), PASSWORD);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(REFUSED);
  });
});

describe('password login lock across a restart', () => {
  it('stays locked when the cache is gone: the count lives in the database', async () => {
    const db = await createTestDatabase();
    try {
      const env = { ACCOUNT_LOCK_THRESHOLD: '3' };
      const first = await startTestApp(env, db);
      const email = uniqueEmail();
      try {
        await signUpWithPassword(first, email);
        await failTimes(first, email, 3);
      } finally {
        await first.close();
      }
      const second = await startTestApp(env, db);
      try {
        expect((await passwordLogin(second, email, PASSWORD)).body).toEqual(REFUSED);
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });
});

// The real threshold, once, on the embedded setup (PostgreSQL runs the same statements).
const onEmbedded = process.env.DATABASE_URL ? describe.skip : describe;
onEmbedded('password login lock at the default threshold of 100', () => {
  it('locks after 100 failures in a row, not before', async () => {
    const t = await startTestApp();
    try {
      const email = uniqueEmail();
      await signUpWithPassword(t, email);
      await failTimes(t, email, 99);
      expect(await lockedMails(t, email)).toBe(0);
      await failTimes(t, email, 1);
      expect((await passwordLogin(t, email, PASSWORD)).body).toEqual(REFUSED);
    } finally {
      await t.close();
    }
  });
});
