import { signInByCode, SignedIn, sleep } from './support/auth';
import { mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const CODE_SUBJECT = 'Confirm the new email of your MailGuard account';
const CHANGED_SUBJECT = 'The email of your MailGuard account was changed';
const EXISTS_SUBJECT = 'You already have a MailGuard account';
const INVALID_CODE = { code: 'OTP_INVALID', message: 'Invalid or expired code.' };
const PT_CODE_SUBJECT = 'Confirme o novo e-mail da sua conta MailGuard';
const PT_CHANGED_SUBJECT = 'O e-mail da sua conta MailGuard foi alterado';

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
  async function codesFor(
    user: SignedIn,
    newEmail: string,
    body: { locale?: string } = {},
    headers: Record<string, string> = {},
    subject = CODE_SUBJECT,
  ) {
    const beforeOld = (await mailsTo(t, user.email)).length;
    const beforeNew = (await mailsTo(t, newEmail)).length;
    const res = await t.post(
      '/api/users/me/email-change',
      { new_email: newEmail, ...body },
      { token: user.access, headers },
    );
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: 'Confirmation codes sent.' });
    const current = await waitForMail(t, user.email, beforeOld);
    const fresh = await waitForMail(t, newEmail, beforeNew);
    expect(current.subject).toBe(subject);
    expect(fresh.subject).toBe(subject);
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
    const codes = await codesFor(user, newEmail);
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
    expect(locale.body.errors).toEqual({
      locale: ['Locale must be one of en, de, fr, es, pt-BR.'],
    });
  });

  it('writes every mail of the change in the locale field’s language, the notice at confirmation too', async () => {
    const user = await signInByCode(t);
    const newEmail = uniqueEmail('moved');
    const german = { 'accept-language': 'de' };
    // Any letter case, as on the other mail routes; the field beats Accept-Language.
    const codes = await codesFor(user, newEmail, { locale: 'pt-br' }, german, PT_CODE_SUBJECT);
    const [current] = await mailsTo(t, user.email);
    const [fresh] = await mailsTo(t, newEmail);
    for (const mail of [current, fresh]) {
      expect(mail.locale).toBe('pt-BR');
      expect(mail.text).toContain(newEmail);
      expect(mail.text).not.toMatch(/\b(Hello|Your code|valid for)\b/);
    }
    const res = await t.post('/api/users/me/email-change/confirm', codes, {
      token: user.access,
      headers: german,
    });
    expect(res.status).toBe(200);
    const [notice] = await mailsTo(t, user.email);
    expect(notice).toMatchObject({ subject: PT_CHANGED_SUBJECT, locale: 'pt-BR' });
    expect(notice.text).toContain(newEmail);
  });

  it('without the field: the account’s locale, else Accept-Language', async () => {
    const user = await signInByCode(t);
    const french = { 'accept-language': 'fr-CA, en;q=0.5' };
    await codesFor(
      user,
      uniqueEmail('moved'),
      {},
      french,
      'Confirmez la nouvelle adresse e-mail de votre compte MailGuard',
    );
    expect((await t.patch('/api/users/me', { locale: 'es' }, { token: user.access })).status).toBe(
      200,
    );
    await codesFor(
      user,
      uniqueEmail('moved'),
      {},
      french,
      'Confirma el nuevo correo de tu cuenta de MailGuard',
    );
  });

  it('tells a taken address in its owner’s language, the answer unchanged', async () => {
    const owner = await signInByCode(t);
    expect((await t.patch('/api/users/me', { locale: 'de' }, { token: owner.access })).status).toBe(
      200,
    );
    const user = await signInByCode(t);
    const beforeOwner = (await mailsTo(t, owner.email)).length;
    const res = await request(user, { new_email: owner.email });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: 'Confirmation codes sent.' });
    const notice = await waitForMail(t, owner.email, beforeOwner);
    expect(notice).toMatchObject({
      subject: 'Sie haben bereits ein MailGuard-Konto',
      locale: 'de',
      code: null,
    });
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

describe('email change codes expire (OTP_TTL_SECONDS=2)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ OTP_RESEND_SECONDS: '0', OTP_TTL_SECONDS: '2' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses both codes once they expired, and nothing is pending any more', async () => {
    const user = await signInByCode(t);
    const newEmail = uniqueEmail('late');
    const res = await t.post(
      '/api/users/me/email-change',
      { new_email: newEmail },
      { token: user.access },
    );
    expect(res.status).toBe(202);
    const current = await waitForMail(t, user.email, 1);
    const fresh = await waitForMail(t, newEmail);
    await sleep(2500);
    const late = await t.post(
      '/api/users/me/email-change/confirm',
      { current_code: current.code, new_code: fresh.code },
      { token: user.access },
    );
    expect(late.status).toBe(400);
    expect(late.body).toMatchObject(INVALID_CODE);
    expect((await t.get('/api/users/me/email-change', { token: user.access })).body).toEqual({
      status: 'none',
    });
    expect((await t.get('/api/users/me', { token: user.access })).body.email).toBe(user.email);
  });
});
