import { signInByCode, SignedIn } from './support/auth';
import { mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const CODE_SUBJECT = 'Confirm the new email of your MailGuard account';
const CHANGED_SUBJECT = 'The email of your MailGuard account was changed';
const EXISTS_SUBJECT = 'You already have a MailGuard account';
const INVALID_CODE = { code: 'OTP_INVALID', message: 'Invalid or expired code.' };

describe('self-service email change (/api/users/me/email-change)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ OTP_RESEND_SECONDS: '0', OTP_TTL_SECONDS: '600' });
  });
  afterAll(async () => {
    await t.close();
  });

  const request = (user: SignedIn, body: object) =>
    t.post('/api/users/me/email-change', body, { token: user.access });
  const confirm = (user: SignedIn, body: object) =>
    t.post('/api/users/me/email-change/confirm', body, { token: user.access });

  /** Asks for the change and reads both codes from the mailbox. */
  async function codesFor(user: SignedIn, newEmail: string, locale?: string) {
    const beforeOld = (await mailsTo(t, user.email)).length;
    const beforeNew = (await mailsTo(t, newEmail)).length;
    const res = await request(user, { new_email: newEmail, locale });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: 'Confirmation codes sent.' });
    const current = await waitForMail(t, user.email, beforeOld);
    const fresh = await waitForMail(t, newEmail, beforeNew);
    expect(current.subject).toBe(CODE_SUBJECT);
    expect(fresh.subject).toBe(CODE_SUBJECT);
    return { current_code: current.code!, new_code: fresh.code! };
  }

  it('requires a signed-in user on every route', async () => {
    expect(
      (await t.post('/api/users/me/email-change', { new_email: 'a@example.com' })).status,
    ).toBe(401);
    expect((await t.get('/api/users/me/email-change')).status).toBe(401);
    expect(
      (await t.post('/api/users/me/email-change/confirm', { current_code: '1', new_code: '2' }))
        .status,
    ).toBe(401);
  });

  it('moves the account to the new address with both codes, ends every session, tells the old address', async () => {
    const user = await signInByCode(t);
    const other = await signInByCode(t, user.email);
    const newEmail = uniqueEmail('moved');
    const codes = await codesFor(user, newEmail, 'pt-BR');
    const status = await t.get('/api/users/me/email-change', { token: user.access });
    expect(status.body).toMatchObject({ status: 'pending', new_email: newEmail });
    expect(Date.parse(status.body.expires_at)).toBeGreaterThan(Date.now());

    const res = await confirm(user, codes);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([expect.objectContaining({ id: user.id, email: newEmail })]);
    expect(res.body).toMatchObject({ token_type: 'Bearer' });
    expect(res.body.token).toBe(res.body.access);
    // Every earlier session ended, this one too; the new session works.
    expect((await t.get('/api/users/me', { token: user.access })).status).toBe(401);
    expect((await t.get('/api/users/me', { token: other.access })).status).toBe(401);
    const me = await t.get('/api/users/me', { token: res.body.access });
    expect(me.body).toMatchObject({ email: newEmail });
    const notice = (await mailsTo(t, user.email)).find((m) => m.subject === CHANGED_SUBJECT);
    expect(notice?.text).toContain(newEmail);
    expect((await t.get('/api/users/me/email-change', { token: res.body.access })).body).toEqual({
      status: 'none',
    });
    // The new address signs in to the same account; the old one is a stranger now.
    const again = await signInByCode(t, newEmail);
    expect(again.id).toBe(user.id);
  });

  it('refuses wrong or swapped codes without spending the right ones', async () => {
    const user = await signInByCode(t);
    const newEmail = uniqueEmail('moved');
    const codes = await codesFor(user, newEmail);
    const wrong = codes.new_code === '000000' ? '000001' : '000000';
    const res = await confirm(user, { ...codes, new_code: wrong });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(INVALID_CODE);
    const swapped = await confirm(user, {
      current_code: codes.new_code,
      new_code: codes.current_code,
    });
    if (codes.new_code !== codes.current_code) expect(swapped.status).toBe(400);
    // A typo in one code did not spend the other.
    expect((await confirm(user, codes)).status).toBe(200);
  });

  it('answers 400 when nothing is pending', async () => {
    const user = await signInByCode(t);
    const res = await confirm(user, { current_code: '123456', new_code: '654321' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(INVALID_CODE);
  });

  it('dies after OTP_MAX_ATTEMPTS wrong tries', async () => {
    const user = await signInByCode(t);
    const codes = await codesFor(user, uniqueEmail('moved'));
    const wrong = codes.current_code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++)
      expect((await confirm(user, { ...codes, current_code: wrong })).status).toBe(400);
    expect((await confirm(user, codes)).status).toBe(400);
  });

  it('gives the same answer for a taken address, which gets the account-exists notice and no code', async () => {
    const owner = await signInByCode(t);
    const user = await signInByCode(t);
    const beforeOwner = (await mailsTo(t, owner.email)).length;
    const res = await request(user, { new_email: owner.email });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: 'Confirmation codes sent.' });
    const notice = await waitForMail(t, owner.email, beforeOwner);
    expect(notice.subject).toBe(EXISTS_SUBJECT);
    expect(notice.code).toBeNull();
  });

  it('refuses the validation chain, the current address and malformed input', async () => {
    const user = await signInByCode(t);
    const disposable = await request(user, { new_email: `x.${Date.now()}@mailinator.com` });
    expect(disposable.status).toBe(400);
    const same = await request(user, { new_email: user.email });
    expect(same.status).toBe(400);
    expect(same.body.errors).toEqual({ new_email: ['The new email is the current one.'] });
    expect((await request(user, { new_email: 'not an email' })).status).toBe(400);
    expect((await request(user, {})).status).toBe(400);
    const locale = await request(user, { new_email: uniqueEmail('moved'), locale: 'xx' });
    expect(locale.status).toBe(400);
    expect(locale.body.errors).toEqual({ locale: ['Unsupported locale.'] });
  });

  it('lets exactly one of two confirms at once win', async () => {
    const user = await signInByCode(t);
    const codes = await codesFor(user, uniqueEmail('moved'));
    const results = await Promise.all([confirm(user, codes), confirm(user, codes)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it('answers 409 when the new address got an account in the meantime', async () => {
    const user = await signInByCode(t);
    const newEmail = uniqueEmail('raced');
    const codes = await codesFor(user, newEmail);
    await signInByCode(t, newEmail);
    const res = await confirm(user, codes);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CONFLICT', message: 'Email already registered.' });
    expect((await t.get('/api/users/me', { token: user.access })).body.email).toBe(user.email);
  });

  it('lets one of two accounts moving to the same address at once win, the other gets 409', async () => {
    const first = await signInByCode(t);
    const second = await signInByCode(t);
    const newEmail = uniqueEmail('contested');
    const firstCodes = await codesFor(first, newEmail);
    const secondCodes = await codesFor(second, newEmail);
    const results = await Promise.all([confirm(first, firstCodes), confirm(second, secondCodes)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});
