import { PASSWORD, signUpWithPassword } from './support/auth';
import { mailsTo, uniqueEmail, waitForCode, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const NOTICE = 'New sign-in to your MailGuard account';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

interface Origin {
  ip: string;
  ua: string;
}

describe('new sign-in notice (NOTIFY_NEW_SIGNIN)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: '1',
      OTP_RESEND_SECONDS: '0',
      MAGIC_LINK_URL: 'https://app.example.com/magic',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const headers = (from: Origin) => ({ 'x-forwarded-for': from.ip, 'user-agent': from.ua });

  async function codeLogin(email: string, from: Origin): Promise<void> {
    const before = (await mailsTo(t, email)).length;
    await t.post('/api/users/get-otp/', { email }, { headers: headers(from) });
    const otp = await waitForCode(t, email, before);
    const res = await t.post('/api/users/login/', { email, otp }, { headers: headers(from) });
    expect(res.status).toBe(200);
  }

  async function notices(email: string) {
    // The notice is written in the login's request: it is there when the answer is.
    return (await mailsTo(t, email)).filter((mail) => mail.subject === NOTICE);
  }

  it('stays quiet for the first session and for a known network and browser', async () => {
    const email = uniqueEmail('origin');
    await codeLogin(email, { ip: '203.0.113.10', ua: FIREFOX });
    await codeLogin(email, { ip: '203.0.113.10', ua: FIREFOX });
    // Same /24, another host: the same network.
    await codeLogin(email, { ip: '203.0.113.99', ua: FIREFOX });
    expect(await notices(email)).toHaveLength(0);
  });

  it('mails the time, IP, browser and method for a new network', async () => {
    const email = uniqueEmail('origin');
    await codeLogin(email, { ip: '203.0.113.10', ua: FIREFOX });
    await codeLogin(email, { ip: '198.51.100.7', ua: FIREFOX });
    const [notice] = await notices(email);
    expect(notice).toBeDefined();
    expect(notice.text).toContain('IP address: 198.51.100.7');
    expect(notice.text).toContain('Browser: Firefox');
    expect(notice.text).toContain('Method: sign-in code');
    expect(notice.text).toMatch(/Time: \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    // Seen now: the next sign-in from there is quiet.
    await codeLogin(email, { ip: '198.51.100.8', ua: FIREFOX });
    expect(await notices(email)).toHaveLength(1);
  });

  it('mails for a new browser family on a known network, IPv6 by /48', async () => {
    const email = uniqueEmail('origin');
    await codeLogin(email, { ip: '2001:db8:aa:1::1', ua: FIREFOX });
    await codeLogin(email, { ip: '2001:db8:aa:2::1', ua: FIREFOX });
    expect(await notices(email)).toHaveLength(0);
    await codeLogin(email, { ip: '2001:db8:aa:1::1', ua: CHROME });
    const [notice] = await notices(email);
    expect(notice.text).toContain('Browser: Chrome');
  });

  it('covers magic links, named as such', async () => {
    const email = uniqueEmail('origin');
    await codeLogin(email, { ip: '203.0.113.10', ua: FIREFOX });
    const before = (await mailsTo(t, email)).length;
    await t.post('/api/users/get-otp/', { email });
    const mail = await waitForMail(t, email, before);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1];
    const res = await t.post(
      '/api/users/magic-link/verify',
      { token },
      { headers: headers({ ip: '192.0.2.5', ua: FIREFOX }) },
    );
    expect(res.status).toBe(200);
    const [notice] = await notices(email);
    expect(notice.text).toContain('Method: sign-in link');
  });

  it('speaks the account’s language, not the signing-in request’s, and names the method in it', async () => {
    const email = uniqueEmail('origin');
    const german = { ip: '203.0.113.10', ua: FIREFOX };
    let before = (await mailsTo(t, email)).length;
    const de = { headers: { ...headers(german), 'accept-language': 'de-DE' } };
    await t.post('/api/users/get-otp/', { email }, de);
    let otp = await waitForCode(t, email, before);
    // A code sign-up keeps its login's Accept-Language as the account's locale.
    expect((await t.post('/api/users/login/', { email, otp }, de)).status).toBe(200);

    const elsewhere = {
      headers: { ...headers({ ip: '198.51.100.7', ua: CHROME }), 'accept-language': 'en-US' },
    };
    before = (await mailsTo(t, email)).length;
    await t.post('/api/users/get-otp/', { email }, elsewhere);
    otp = await waitForCode(t, email, before);
    expect((await t.post('/api/users/login/', { email, otp }, elsewhere)).status).toBe(200);
    const notice = (await mailsTo(t, email)).find(
      (mail) => mail.subject === 'Neue Anmeldung bei Ihrem MailGuard-Konto',
    );
    expect(notice?.locale).toBe('de');
    expect(notice?.text).toContain('Methode: Anmeldecode\n');
    expect(notice?.text).toContain('Browser: Chrome\n');
    expect(notice?.text).not.toMatch(/sign-in code|Method:/);
  });

  it('covers password logins too', async () => {
    const email = uniqueEmail('origin');
    await signUpWithPassword(t, email);
    const res = await t.post(
      '/api/users/login/',
      { email, password: PASSWORD },
      { headers: headers({ ip: '192.0.2.44', ua: CHROME }) },
    );
    expect(res.status).toBe(200);
    const notice = await waitForMail(t, email, 1);
    expect(notice.subject).toBe(NOTICE);
    expect(notice.text).toContain('Method: password');
  });
});

describe('with NOTIFY_NEW_SIGNIN=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: '1',
      NOTIFY_NEW_SIGNIN: 'false',
      OTP_RESEND_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('never mails the notice', async () => {
    const email = uniqueEmail('quiet');
    for (const ip of ['203.0.113.1', '198.51.100.1']) {
      const before = (await mailsTo(t, email)).length;
      const h = { headers: { 'x-forwarded-for': ip, 'user-agent': FIREFOX } };
      await t.post('/api/users/get-otp/', { email }, h);
      const otp = await waitForCode(t, email, before);
      expect((await t.post('/api/users/login/', { email, otp }, h)).status).toBe(200);
    }
    expect((await mailsTo(t, email)).filter((m) => m.subject === NOTICE)).toHaveLength(0);
  });
});
