import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PASSWORD } from './support/auth';
import { MailboxEntry, mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { createTestDatabase } from './support/database';
import { parseMail } from './support/mime';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR'] as const;
type Locale = (typeof LOCALES)[number];
const NEW_PASSWORD = 'n3w-Secret!pass';

/** Each bundled mail's subject, and a sentence of its text part, as a reader sees them. */
const MAILS: Record<string, Record<Locale, [subject: string, phrase: string]>> = {
  'login-code': {
    en: ['Your MailGuard sign-in code', 'Your sign-in code is:'],
    de: ['Ihr MailGuard-Anmeldecode', 'Ihr Anmeldecode lautet:'],
    fr: ['Votre code de connexion MailGuard', 'Votre code de connexion :'],
    es: ['Tu código de inicio de sesión en MailGuard', 'Tu código para iniciar sesión es:'],
    'pt-BR': ['Seu código de acesso ao MailGuard', 'Seu código de acesso é:'],
  },
  'registration-code': {
    en: ['Confirm your MailGuard registration', 'Confirm your registration with this code:'],
    de: ['Bestätigen Sie Ihre Registrierung bei MailGuard', 'mit diesem Code:'],
    fr: ['Confirmez votre inscription à MailGuard', 'Confirmez votre inscription avec ce code :'],
    es: ['Confirma tu registro en MailGuard', 'Confirma tu registro con este código:'],
    'pt-BR': ['Confirme seu cadastro no MailGuard', 'Confirme seu cadastro com este código:'],
  },
  'account-exists': {
    en: ['You already have a MailGuard account', 'but you already have one.'],
    de: ['Sie haben bereits ein MailGuard-Konto', 'aber Sie haben bereits eines.'],
    fr: ['Vous avez déjà un compte MailGuard', 'mais vous en avez déjà un.'],
    es: ['Ya tienes una cuenta de MailGuard', 'pero ya tienes una.'],
    'pt-BR': ['Você já tem uma conta no MailGuard', 'mas você já tem uma.'],
  },
  'reset-code': {
    en: ['Your MailGuard password reset code', 'Use this code to reset your password:'],
    de: [
      'Ihr Code zum Zurücksetzen des MailGuard-Passworts',
      'Mit diesem Code setzen Sie Ihr Passwort zurück:',
    ],
    fr: [
      'Votre code de réinitialisation du mot de passe MailGuard',
      'Utilisez ce code pour réinitialiser votre mot de passe :',
    ],
    es: [
      'Tu código para restablecer la contraseña de MailGuard',
      'Usa este código para restablecer tu contraseña:',
    ],
    'pt-BR': [
      'Seu código para redefinir a senha do MailGuard',
      'Use este código para redefinir sua senha:',
    ],
  },
  'password-changed': {
    en: ['Your MailGuard password was changed', 'If this was not you, reset your password'],
    de: ['Ihr MailGuard-Passwort wurde geändert', 'Wenn Sie das nicht waren'],
    fr: ['Le mot de passe de votre compte MailGuard a été modifié', "Si ce n'était pas vous"],
    es: ['Se ha cambiado tu contraseña de MailGuard', 'Si no fuiste tú'],
    'pt-BR': ['Sua senha do MailGuard foi alterada', 'Se não foi você'],
  },
  'account-locked': {
    en: ['Password sign-in to your MailGuard account is locked', 'To unlock it, sign in'],
    de: ['Die Passwort-Anmeldung bei Ihrem MailGuard-Konto ist gesperrt', 'Zum Entsperren'],
    fr: ['La connexion par mot de passe à votre compte MailGuard est bloquée', 'Pour la débloquer'],
    es: [
      'El inicio de sesión con contraseña en tu cuenta de MailGuard está bloqueado',
      'Para desbloquearlo',
    ],
    'pt-BR': ['O acesso com senha à sua conta do MailGuard foi bloqueado', 'Para desbloquear'],
  },
};

/** Words of the English mails that must not turn up in another language's mail. */
const ENGLISH = /\b(Hello|Your|code is|valid for|ignore this|password|account|sign in)\b/i;

/** The mail reads as written in `locale`: subject, a sentence, the code, nothing left over. */
function expectMail(mail: MailboxEntry, template: string, locale: Locale) {
  const [subject, phrase] = MAILS[template][locale];
  expect(mail.locale).toBe(locale);
  expect(mail.subject).toBe(subject);
  const text = mail.text ?? '';
  expect(text).toContain(phrase);
  expect(text).not.toMatch(/\{\{|\}\}/);
  if (template.endsWith('-code')) {
    expect(mail.code).toMatch(/^\d{6}$/);
    expect(text).toContain(mail.code);
  }
  if (locale !== 'en') {
    expect(text).not.toMatch(ENGLISH);
    expect(subject).not.toMatch(ENGLISH);
  }
}

describe('mail in the reader’s language (outbox)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      ACCOUNT_LOCK_THRESHOLD: '2',
      OTP_RESEND_SECONDS: '0',
      OTP_MAX_SENDS_PER_HOUR: '1000',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  async function nextMail(email: string, act: () => Promise<unknown>): Promise<MailboxEntry> {
    const before = (await mailsTo(t, email)).length;
    await act();
    return waitForMail(t, email, before);
  }

  it.each(LOCALES)('%s: every mail of an account, in its language', async (locale) => {
    // Registration with the locale field: the code mail, and the account keeps the language.
    const email = uniqueEmail(`lang-${locale.toLowerCase()}`);
    const registration = await nextMail(email, async () => {
      const res = await t.post('/api/users/register/', {
        email,
        password: PASSWORD,
        full_name: 'Ana Weiß',
        locale,
      });
      expect(res.body).toEqual({ message: 'OTP sent to your email.' });
    });
    expectMail(registration, 'registration-code', locale);
    const confirmed = await t.post('/api/users/confirm-otp/', { email, otp: registration.code });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.data[0].locale).toBe(locale);
    const me = await t.get('/api/users/me', { token: confirmed.body.access as string });
    expect(me.body.locale).toBe(locale);

    // From here on no locale field: the stored locale wins over an English Accept-Language.
    const english = { headers: { 'accept-language': 'en-US,en;q=0.9' } };
    const exists = await nextMail(email, () =>
      t.post('/api/users/register/', { email, password: PASSWORD, full_name: 'X' }, english),
    );
    expectMail(exists, 'account-exists', locale);
    expect(exists.text).toContain('Ana Weiß');

    const login = await nextMail(email, () => t.post('/api/users/get-otp/', { email }, english));
    expectMail(login, 'login-code', locale);

    const reset = await nextMail(email, () =>
      t.post('/api/users/forgot-password/', { email }, english),
    );
    expectMail(reset, 'reset-code', locale);
    const changed = await nextMail(email, async () => {
      const res = await t.post(
        '/api/users/reset-password/',
        { email, otp: reset.code, new_password: NEW_PASSWORD },
        english,
      );
      expect(res.status).toBe(200);
    });
    expectMail(changed, 'password-changed', locale);

    const locked = await nextMail(email, async () => {
      for (let i = 0; i < 2; i++)
        await t.post('/api/users/login/', { email, password: 'wrong-Password-1' }, english);
    });
    expectMail(locked, 'account-locked', locale);
  });

  it.each([
    ['fr-CA,en;q=0.5', 'fr'],
    ['pt', 'pt-BR'],
    ['en;q=0.1, de-AT;q=0.9', 'de'],
    ['it, ja;q=0.9', 'en'],
    ['es-419', 'es'],
    ['', 'en'],
  ])('Accept-Language %j for a new address reads %s', async (header, locale) => {
    const email = uniqueEmail('accept');
    const options = header ? { headers: { 'accept-language': header } } : {};
    const mail = await nextMail(email, () => t.post('/api/users/get-otp/', { email }, options));
    expectMail(mail, 'login-code', locale as Locale);
  });

  it('a code sign-up keeps the Accept-Language of its login; the field beats the stored one', async () => {
    const email = uniqueEmail('signup');
    const fr = { headers: { 'accept-language': 'fr-FR' } };
    const first = await nextMail(email, () => t.post('/api/users/get-otp/', { email }, fr));
    const login = await t.post('/api/users/login/', { email, otp: first.code }, fr);
    expect(login.status).toBe(200);
    const me = await t.get('/api/users/me', { token: login.body.access as string });
    expect(me.body.locale).toBe('fr');
    const de = { headers: { 'accept-language': 'de' } };
    expectMail(
      await nextMail(email, () => t.post('/api/users/get-otp/', { email }, de)),
      'login-code',
      'fr',
    );
    expectMail(
      await nextMail(email, () => t.post('/api/users/get-otp/', { email, locale: 'es' }, de)),
      'login-code',
      'es',
    );
  });

  it('PATCH /api/users/me sets, validates and clears the locale', async () => {
    const email = uniqueEmail('patch');
    const first = await nextMail(email, () => t.post('/api/users/get-otp/', { email }));
    const token = (await t.post('/api/users/login/', { email, otp: first.code })).body
      .access as string;

    const set = await t.patch('/api/users/me', { locale: 'pt-br' }, { token });
    expect(set.status).toBe(200);
    expect(set.body.locale).toBe('pt-BR');
    expectMail(
      await nextMail(email, () =>
        t.post('/api/users/get-otp/', { email }, { headers: { 'accept-language': 'de' } }),
      ),
      'login-code',
      'pt-BR',
    );

    const refused = await t.patch('/api/users/me', { locale: 'it' }, { token });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: { locale: ['Locale must be one of en, de, fr, es, pt-BR.'] },
    });

    const cleared = await t.patch('/api/users/me', { locale: null }, { token });
    expect(cleared.status).toBe(200);
    expect(cleared.body.locale).toBeNull();
    expectMail(
      await nextMail(email, () =>
        t.post('/api/users/get-otp/', { email }, { headers: { 'accept-language': 'de' } }),
      ),
      'login-code',
      'de',
    );
  });

  it('an unsupported locale field is 400 on every mail route, and no mail is written', async () => {
    const email = uniqueEmail('unsupported');
    for (const [path, body] of [
      ['/api/users/get-otp/', { email, locale: 'it' }],
      ['/api/users/forgot-password/', { email, locale: 'xx-YY' }],
      ['/api/users/register/', { email, password: PASSWORD, full_name: 'X', locale: 'english' }],
      ['/api/users/get-otp/', { email, locale: 42 }],
    ] as const) {
      const res = await t.post(path, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.locale).toEqual(['Locale must be one of en, de, fr, es, pt-BR.']);
    }
    expect(await mailsTo(t, email)).toHaveLength(0);
  });

  it('the locale changes no answer: known and unknown addresses, every language', async () => {
    const known = uniqueEmail('known');
    await nextMail(known, () => t.post('/api/users/get-otp/', { email: known }));
    const answers = new Set<string>();
    for (const locale of LOCALES) {
      for (const email of [known, uniqueEmail('unknown')]) {
        for (const path of ['/api/users/get-otp/', '/api/users/forgot-password/']) {
          const res = await t.post(path, { email, locale });
          answers.add(`${path} ${res.status} ${res.text}`);
        }
      }
    }
    expect([...answers].sort()).toEqual([
      `/api/users/forgot-password/ 200 ${JSON.stringify({ message: 'If an account with that email exists, you will receive a reset code.' })}`,
      `/api/users/get-otp/ 200 ${JSON.stringify({ message: 'OTP sent to email.' })}`,
    ]);
  });

  it.each(LOCALES)(
    '%s: the dev mailbox shows the language and highlights the code that works',
    async (locale) => {
      const email = uniqueEmail(`page-${locale.toLowerCase()}`);
      const login = await nextMail(email, () => t.post('/api/users/get-otp/', { email, locale }));
      expectMail(login, 'login-code', locale);
      const page = (await t.get('/dev/mailbox')).text;
      const article = page.slice(page.indexOf(`data-id="${login.id}"`));
      expect(article).toMatch(
        new RegExp(
          `^[^]*?<span class="lang" title="Content-Language">${locale}</span>[^]*?<span class="code">${login.code}</span>`,
        ),
      );
      const session = await t.post('/api/users/login/', { email, otp: login.code });
      expect(session.status).toBe(200);

      // Both email change codes, highlighted in the reader's language, confirm the change.
      const newEmail = uniqueEmail(`page-moved-${locale.toLowerCase()}`);
      const token = session.body.access as string;
      const current = await nextMail(email, () =>
        t.post('/api/users/me/email-change', { new_email: newEmail, locale }, { token }),
      );
      const fresh = await waitForMail(t, newEmail);
      for (const mail of [current, fresh]) {
        expect(mail.locale).toBe(locale);
        expect(mail.code).toMatch(/^\d{6}$/);
        expect(mail.text).toContain(mail.code);
        expect((await t.get('/dev/mailbox')).text).toContain(
          `<span class="code">${mail.code}</span>`,
        );
      }
      const confirmed = await t.post(
        '/api/users/me/email-change/confirm',
        { current_code: current.code, new_code: fresh.code },
        { token },
      );
      expect(confirmed.status).toBe(200);
    },
  );

  it('the dev mailbox page shows each mail’s language', async () => {
    const email = uniqueEmail('page');
    await nextMail(email, () => t.post('/api/users/get-otp/', { email, locale: 'de' }));
    const page = await t.get('/dev/mailbox');
    expect(page.text).toContain('<span class="lang" title="Content-Language">de</span>');
    expect(page.text).toContain('Ihr MailGuard-Anmeldecode');
  });
});

describe('mail in the reader’s language (real SMTP, MAIL_DEFAULT_LOCALE=de)', () => {
  const sink = new SmtpSink();
  let t: TestApp;

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({ ...sink.env(), MAIL_DEFAULT_LOCALE: 'de', OTP_RESEND_SECONDS: '0' });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it.each(LOCALES)(
    '%s: the code mail leaves with its subject, text and Content-Language',
    async (locale) => {
      const email = uniqueEmail(`smtp-${locale.toLowerCase()}`);
      expect((await t.post('/api/users/get-otp/', { email, locale })).status).toBe(200);
      const [mail] = await sink.waitFor(email);
      const { headers, text, html } = parseMail(mail.raw);
      const [subject, phrase] = MAILS['login-code'][locale];
      expect(headers.get('content-language')).toBe(locale);
      expect(headers.get('subject')).toBe(subject);
      expect(text).toContain(phrase);
      expect(text).toMatch(/\b\d{6}\b/);
      expect(text).not.toMatch(/\{\{|\}\}/);
      if (locale !== 'en') expect(text).not.toMatch(ENGLISH);
      expect(html).toContain(`<html lang="${locale}" dir="ltr">`);
    },
  );

  it('falls back to MAIL_DEFAULT_LOCALE for an unsupported Accept-Language', async () => {
    const email = uniqueEmail('smtp-default');
    const res = await t.post(
      '/api/users/get-otp/',
      { email },
      { headers: { 'accept-language': 'it-IT, ja;q=0.8' } },
    );
    expect(res.status).toBe(200);
    const [mail] = await sink.waitFor(email);
    const { headers } = parseMail(mail.raw);
    expect(headers.get('content-language')).toBe('de');
    expect(headers.get('subject')).toBe('Ihr MailGuard-Anmeldecode');
  });
});

describe('MAIL_TEMPLATES_DIR overrides', () => {
  function overrideDir(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'mail-overrides-'));
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return dir;
  }

  it('replaces the bundled file it names and keeps every other one', async () => {
    const dir = overrideDir({
      'fr/login-code.subject.hbs': 'Acme : votre code {{code}}',
      'fr/login-code.txt.hbs': 'Bonjour {{name}}, code Acme {{code}} ({{minutes}} min).',
    });
    const t = await startTestApp({ MAIL_TEMPLATES_DIR: dir, OTP_RESEND_SECONDS: '0' });
    try {
      const email = uniqueEmail('override');
      await t.post('/api/users/get-otp/', { email, locale: 'fr' });
      const fr = await waitForMail(t, email);
      expect(fr.subject).toBe(`Acme : votre code ${fr.code}`);
      expect(fr.text).toBe(`Bonjour , code Acme ${fr.code} (10 min).`);
      await t.post('/api/users/get-otp/', { email, locale: 'de' });
      const de = await waitForMail(t, email, 1);
      expectMail(de, 'login-code', 'de');
    } finally {
      await t.close();
    }
  });

  it.each([
    [
      'es/reset-code.html.hbs',
      '<p>{{#if code}}</p>',
      /es\/reset-code\.html\.hbs: does not compile/,
    ],
    ['de/signin-code.txt.hbs', 'x', /de\/signin-code\.txt\.hbs: unknown template file/],
  ])('a broken or misnamed file (%s) stops the boot, naming it', async (file, content, message) => {
    // Our own database for each failed boot, so it leaves nothing behind for the next one.
    const db = await createTestDatabase('mail-overrides');
    try {
      const dir = overrideDir({ [file]: content });
      await expect(startTestApp({ MAIL_TEMPLATES_DIR: dir }, db)).rejects.toThrow(message);
    } finally {
      await db.drop();
    }
  });
});
