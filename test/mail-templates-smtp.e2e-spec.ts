import { PASSWORD } from './support/auth';
import { uniqueEmail } from './support/mailbox';
import { parseMail, ParsedMail } from './support/mime';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Every bundled template in every locale, produced through the public API, received by a real
 * SMTP server and read as a mail program would: localized subject, the code or link (and the code
 * works), Content-Language, nothing left unreplaced, no English left in another language.
 */
const LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR'] as const;
type Locale = (typeof LOCALES)[number];
// API.md's list, not MAIL_TEMPLATES: a template dropped from the code must fail this suite.
const TEMPLATES = [
  'login-code',
  'registration-code',
  'reset-code',
  'account-exists',
  'password-changed',
  'account-locked',
  'email-change-code',
  'email-changed',
  'new-sign-in',
] as const;
type Template = (typeof TEMPLATES)[number];

const SUBJECTS: Record<Template, Record<Locale, string>> = {
  'login-code': {
    en: 'Your MailGuard sign-in code',
    de: 'Ihr MailGuard-Anmeldecode',
    fr: 'Votre code de connexion MailGuard',
    es: 'Tu código de inicio de sesión en MailGuard',
    'pt-BR': 'Seu código de acesso ao MailGuard',
  },
  'registration-code': {
    en: 'Confirm your MailGuard registration',
    de: 'Bestätigen Sie Ihre Registrierung bei MailGuard',
    fr: 'Confirmez votre inscription à MailGuard',
    es: 'Confirma tu registro en MailGuard',
    'pt-BR': 'Confirme seu cadastro no MailGuard',
  },
  'reset-code': {
    en: 'Your MailGuard password reset code',
    de: 'Ihr Code zum Zurücksetzen des MailGuard-Passworts',
    fr: 'Votre code de réinitialisation du mot de passe MailGuard',
    es: 'Tu código para restablecer la contraseña de MailGuard',
    'pt-BR': 'Seu código para redefinir a senha do MailGuard',
  },
  'account-exists': {
    en: 'You already have a MailGuard account',
    de: 'Sie haben bereits ein MailGuard-Konto',
    fr: 'Vous avez déjà un compte MailGuard',
    es: 'Ya tienes una cuenta de MailGuard',
    'pt-BR': 'Você já tem uma conta no MailGuard',
  },
  'password-changed': {
    en: 'Your MailGuard password was changed',
    de: 'Ihr MailGuard-Passwort wurde geändert',
    fr: 'Le mot de passe de votre compte MailGuard a été modifié',
    es: 'Se ha cambiado tu contraseña de MailGuard',
    'pt-BR': 'Sua senha do MailGuard foi alterada',
  },
  'account-locked': {
    en: 'Password sign-in to your MailGuard account is locked',
    de: 'Die Passwort-Anmeldung bei Ihrem MailGuard-Konto ist gesperrt',
    fr: 'La connexion par mot de passe à votre compte MailGuard est bloquée',
    es: 'El inicio de sesión con contraseña en tu cuenta de MailGuard está bloqueado',
    'pt-BR': 'O acesso com senha à sua conta do MailGuard foi bloqueado',
  },
  'email-change-code': {
    en: 'Confirm the new email of your MailGuard account',
    de: 'Bestätigen Sie die neue E-Mail-Adresse Ihres MailGuard-Kontos',
    fr: 'Confirmez la nouvelle adresse e-mail de votre compte MailGuard',
    es: 'Confirma el nuevo correo de tu cuenta de MailGuard',
    'pt-BR': 'Confirme o novo e-mail da sua conta MailGuard',
  },
  'email-changed': {
    en: 'The email of your MailGuard account was changed',
    de: 'Die E-Mail-Adresse Ihres MailGuard-Kontos wurde geändert',
    fr: "L'adresse e-mail de votre compte MailGuard a été modifiée",
    es: 'Se ha cambiado el correo de tu cuenta de MailGuard',
    'pt-BR': 'O e-mail da sua conta MailGuard foi alterado',
  },
  'new-sign-in': {
    en: 'New sign-in to your MailGuard account',
    de: 'Neue Anmeldung bei Ihrem MailGuard-Konto',
    fr: 'Nouvelle connexion à votre compte MailGuard',
    es: 'Nuevo inicio de sesión en tu cuenta de MailGuard',
    'pt-BR': 'Novo acesso à sua conta MailGuard',
  },
};

/** Sentences of each English mail (and the greeting) that must not turn up in another language. */
const ENGLISH: Record<Template, string[]> = {
  'login-code': [
    'Your sign-in code is:',
    'Or sign in with this link:',
    'If you did not ask for this, you can ignore this email.',
  ],
  'registration-code': ['Confirm your registration with this code:', 'It is valid for'],
  'reset-code': ['Use this code to reset your password:', 'Your password stays as it is.'],
  'account-exists': ['Someone tried to register a new account', 'sign in instead'],
  'password-changed': [
    'The password of your account was just changed',
    'reset your password right away',
  ],
  'account-locked': ['Someone tried to sign in to your account', 'To unlock it'],
  'email-change-code': ['Your code to confirm the change', 'both are needed'],
  'email-changed': [
    'The email address of your MailGuard account was changed',
    'contact support right away',
  ],
  'new-sign-in': ['was just signed in to from a new place', 'Method:', 'sign-in link'],
};

const MAGIC_LINK_URL = 'https://app.example.com/magic';
const NEW_PASSWORD = 'n3w-Secret!pass';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
/** Every request but the registration speaks English: the account's language must win. */
const HOME = { 'x-forwarded-for': '203.0.113.10', 'user-agent': FIREFOX, 'accept-language': 'en' };
const ELSEWHERE = {
  'x-forwarded-for': '198.51.100.7',
  'user-agent': CHROME,
  'accept-language': 'en',
};

describe('every template in every locale, through real SMTP', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  const seen = new Set<string>();

  beforeAll(async () => {
    await sink.start();
    t = await startTestApp({
      ...sink.env(),
      MAGIC_LINK_URL,
      TRUST_PROXY: '1',
      ACCOUNT_LOCK_THRESHOLD: '2',
      OTP_RESEND_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  /** The next mail to `email` once `act` ran, parsed and checked as written in `locale`. */
  async function next(
    email: string,
    template: Template,
    locale: Locale,
    act: () => Promise<unknown>,
  ): Promise<ParsedMail> {
    const before = sink.received.filter((mail) => mail.to.includes(email)).length;
    await act();
    const mails = await sink.waitFor(email, before + 1);
    const mail = parseMail(mails[before].raw);
    expect(mail.headers.get('subject')).toBe(SUBJECTS[template][locale]);
    expect(mail.headers.get('content-language')).toBe(locale);
    expect(mail.html).toContain(`<html lang="${locale}" dir="ltr">`);
    // The name is the account's; a registration code goes out before there is one.
    if (template !== 'registration-code') expect(mail.text).toContain('Ana');
    for (const part of [mail.headers.get('subject')!, mail.text, mail.html])
      expect(part).not.toMatch(/\{\{|\}\}|\bundefined\b|\bnull\b/);
    if (locale !== 'en') {
      for (const sentence of [...ENGLISH[template], 'Hello'])
        for (const part of [mail.headers.get('subject')!, mail.text, mail.html])
          expect(part).not.toContain(sentence);
    }
    seen.add(`${locale}/${template}`);
    return mail;
  }

  /** The code a mail shows: its first 6-digit number, in both parts (the dev mailbox reads it so). */
  function codeOf(mail: ParsedMail): string {
    const code = /\b\d{6}\b/.exec(mail.text)?.[0];
    expect(code).toBeDefined();
    expect(mail.html).toContain(`${code}</p>`);
    return code!;
  }

  it.each(LOCALES)('%s: every template', async (locale) => {
    const email = uniqueEmail(`smtp-all-${locale.toLowerCase()}`);
    const post = (path: string, body: object, headers: Record<string, string>, token?: string) =>
      t.post(path, body, { headers, token });

    const registration = await next(email, 'registration-code', locale, () =>
      post(
        '/api/users/register/',
        { email, password: PASSWORD, full_name: 'Ana', locale },
        { ...HOME, 'accept-language': locale },
      ),
    );
    const confirmed = await post(
      '/api/users/confirm-otp/',
      { email, otp: codeOf(registration) },
      HOME,
    );
    expect(confirmed.status).toBe(201);

    await next(email, 'account-exists', locale, () =>
      post('/api/users/register/', { email, password: PASSWORD, full_name: 'X' }, HOME),
    );

    const login = await next(email, 'login-code', locale, () =>
      post('/api/users/get-otp/', { email }, HOME),
    );
    codeOf(login);
    const token = new RegExp(`${MAGIC_LINK_URL}\\?token=([A-Za-z0-9_-]{43,})`).exec(
      login.text,
    )?.[1];
    expect(token).toBeDefined();
    expect(login.html).toContain(token);

    // The link from another network and browser: a session, and the new sign-in notice.
    let access = '';
    const notice = await next(email, 'new-sign-in', locale, async () => {
      const res = await post('/api/users/magic-link/verify', { token }, ELSEWHERE);
      expect(res.status).toBe(200);
      access = res.body.access as string;
    });
    expect(notice.text).toContain('198.51.100.7');
    expect(notice.text).toContain('Chrome');

    const newEmail = uniqueEmail(`smtp-moved-${locale.toLowerCase()}`);
    let freshCode = '';
    const current = await next(email, 'email-change-code', locale, async () => {
      const res = await post(
        '/api/users/me/email-change',
        { new_email: newEmail },
        ELSEWHERE,
        access,
      );
      expect(res.status).toBe(202);
      const [fresh] = await sink.waitFor(newEmail);
      const parsed = parseMail(fresh.raw);
      expect(parsed.headers.get('subject')).toBe(SUBJECTS['email-change-code'][locale]);
      expect(parsed.headers.get('content-language')).toBe(locale);
      freshCode = codeOf(parsed);
    });
    expect(current.text).toContain(newEmail);
    const changed = await next(email, 'email-changed', locale, async () => {
      const res = await post(
        '/api/users/me/email-change/confirm',
        { current_code: codeOf(current), new_code: freshCode },
        ELSEWHERE,
        access,
      );
      expect(res.status).toBe(200);
      access = res.body.access as string;
    });
    expect(changed.text).toContain(newEmail);

    await next(newEmail, 'password-changed', locale, async () => {
      const res = await post(
        '/api/users/me/password',
        { current_password: PASSWORD, new_password: NEW_PASSWORD },
        ELSEWHERE,
        access,
      );
      expect(res.status).toBe(200);
    });

    const reset = await next(newEmail, 'reset-code', locale, () =>
      post('/api/users/forgot-password/', { email: newEmail }, HOME),
    );
    codeOf(reset);

    await next(newEmail, 'account-locked', locale, async () => {
      for (let i = 0; i < 2; i++)
        await post('/api/users/login/', { email: newEmail, password: 'wrong-Password-1' }, HOME);
    });
    expect(TEMPLATES.filter((template) => !seen.has(`${locale}/${template}`))).toEqual([]);
  });
});
