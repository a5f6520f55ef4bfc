import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIL_LOCALES } from './mail-locales';
import { MAIL_TEMPLATES, MailTemplatesService, SignInMethod } from './mail-templates.service';

describe('MailTemplatesService', () => {
  const templates = new MailTemplatesService({});

  it('renders the code on one readable line of the text part', () => {
    const { subject, text, html } = templates.render('login-code', 'en', {
      code: '012345',
      minutes: 10,
    });
    expect(subject).toBe('Your MailGuard sign-in code');
    expect(text).toContain('Your sign-in code is: 012345\n');
    expect(text).toContain('It is valid for 10 minutes and works once.');
    expect(html).toContain('>012345</p>');
    expect(html).toContain('<html lang="en" dir="ltr">');
  });

  it('escapes user-supplied names in HTML', () => {
    const { html, text } = templates.render('password-changed', 'de', {
      name: '<script>alert(1)</script> & "Co"',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(text).toContain('Hallo <script>alert(1)</script> & "Co",');
  });

  it.each(MAIL_LOCALES)(
    '%s password-changed: a self-service change says the other devices were signed out, a reset says all',
    (locale) => {
      const reset = templates.render('password-changed', locale, {});
      const selfService = templates.render('password-changed', locale, { keptSession: true });
      expect(selfService.text).not.toBe(reset.text);
      expect(selfService.html).not.toBe(reset.html);
      if (locale === 'en') {
        expect(reset.text).toContain('every signed-in device was signed out');
        expect(selfService.text).toContain('every other signed-in device was signed out');
      }
    },
  );

  const cases = MAIL_LOCALES.flatMap((locale) => MAIL_TEMPLATES.map((name) => [locale, name]));

  it.each(cases as [(typeof MAIL_LOCALES)[number], (typeof MAIL_TEMPLATES)[number]][])(
    '%s %s: subject, HTML and text, no placeholder left',
    (locale, name) => {
      const rendered = templates.render(name, locale, {
        code: '123456',
        minutes: 10,
        name: 'Asha',
      });
      expect(rendered.subject).toMatch(/MailGuard/);
      expect(rendered.subject).not.toMatch(/\n/);
      expect(rendered.html).toMatch(/^<!doctype html>/i);
      expect(rendered.html).toContain(`lang="${locale}"`);
      for (const part of [rendered.subject, rendered.html, rendered.text])
        expect(part).not.toMatch(/\{\{|\}\}/);
      expect(rendered.text).toContain('Asha');
      if (name.endsWith('-code')) {
        expect(rendered.text).toContain('123456');
        expect(rendered.text).toContain('10');
      }
      if (locale !== 'en') {
        const english = templates.render(name, 'en', { code: '123456', minutes: 10 });
        expect(rendered.subject).not.toBe(english.subject);
        expect(rendered.text).not.toMatch(/\b(Hello|valid for|ignore this email|password)\b/);
      }
    },
  );

  describe('MAIL_TEMPLATES_DIR', () => {
    function overrideDir(files: Record<string, string>): string {
      const dir = mkdtempSync(join(tmpdir(), 'mail-templates-'));
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(join(dir, name, '..'), { recursive: true });
        writeFileSync(join(dir, name), content);
      }
      return dir;
    }

    it('replaces only the files it has', () => {
      const dir = overrideDir({ 'fr/login-code.subject.hbs': 'Code Acme : {{code}}' });
      const custom = new MailTemplatesService({ templatesDir: dir });
      expect(custom.render('login-code', 'fr', { code: '4242' }).subject).toBe('Code Acme : 4242');
      expect(custom.render('login-code', 'fr', { code: '4242' }).text).toContain(
        'Votre code de connexion : 4242',
      );
      expect(custom.render('login-code', 'de', { code: '4242' }).subject).toBe(
        'Ihr MailGuard-Anmeldecode',
      );
    });

    it.each([
      [
        'de/login-code.html.hbs',
        '<p>{{#if code}}</p>',
        /de\/login-code\.html\.hbs: does not compile/,
      ],
      [
        'de/login-code.txt.hbs',
        '{{unknownHelper code}}',
        /de\/login-code\.txt\.hbs: does not compile/,
      ],
      ['it/login-code.txt.hbs', 'Ciao', /\/it: unknown locale folder/],
      ['de/login-cod.txt.hbs', 'x', /de\/login-cod\.txt\.hbs: unknown template file/],
      ['de/login-code.text.hbs', 'x', /de\/login-code\.text\.hbs: unknown template file/],
    ])('stops the boot naming %s', (file, content, message) => {
      const dir = overrideDir({ [file]: content });
      expect(() => new MailTemplatesService({ templatesDir: dir })).toThrow(message);
    });

    it('stops the boot when the folder does not exist', () => {
      expect(() => new MailTemplatesService({ templatesDir: '/nonexistent/mail' })).toThrow(
        /\/nonexistent\/mail: MAIL_TEMPLATES_DIR is not a folder/,
      );
    });
  });

  it('puts the magic link beside the code only when there is one', () => {
    const link = 'https://app.example.com/magic?from=mail&token=abc_DEF-123';
    const withLink = templates.render('login-code', 'en', { code: '012345', minutes: 10, link });
    expect(withLink.text).toContain(`\n${link}\n`);
    expect(withLink.text.indexOf('012345')).toBeLessThan(withLink.text.indexOf(link));
    expect(withLink.html).toContain(
      'href="https://app.example.com/magic?from&#x3D;mail&amp;token&#x3D;abc_DEF-123"',
    );
    const without = templates.render('login-code', 'en', { code: '012345', minutes: 10 });
    expect(without.text).not.toContain('link');
    expect(without.html).not.toContain('href');
  });

  it('renders the email change and new sign-in mails with their details, escaped in HTML', () => {
    const change = templates.render('email-change-code', 'en', {
      code: '482913',
      minutes: 10,
      newEmail: 'new<b>@example.com',
    });
    expect(change.text).toMatch(/^[^\d]*482913/);
    expect(change.html).toContain('new&lt;b&gt;@example.com');
    const notice = templates.render('new-sign-in', 'en', {
      time: '2026-11-27 00:10 UTC',
      ip: '203.0.113.7',
      browser: 'Firefox',
      method: 'magic_link',
    });
    expect(notice.text).toContain('IP address: 203.0.113.7');
    expect(notice.text).toContain('Method: sign-in link');
  });

  /** How each locale names each sign-in method in the new-sign-in notice (text and HTML). */
  const METHOD_WORDS: Record<(typeof MAIL_LOCALES)[number], Record<SignInMethod, string>> = {
    en: {
      otp: 'Method: sign-in code',
      magic_link: 'Method: sign-in link',
      password: 'Method: password',
    },
    de: {
      otp: 'Methode: Anmeldecode',
      magic_link: 'Methode: Anmeldelink',
      password: 'Methode: Passwort',
    },
    fr: {
      otp: 'Méthode : code de connexion',
      magic_link: 'Méthode : lien de connexion',
      password: 'Méthode : mot de passe',
    },
    es: {
      otp: 'Método: código de inicio de sesión',
      magic_link: 'Método: enlace de inicio de sesión',
      password: 'Método: contraseña',
    },
    'pt-BR': {
      otp: 'Método: código de acesso',
      magic_link: 'Método: link de acesso',
      password: 'Método: senha',
    },
  };

  it.each(
    MAIL_LOCALES.flatMap((locale) =>
      (['otp', 'magic_link', 'password'] as const).map((method) => [locale, method] as const),
    ),
  )('new-sign-in %s names the method %s in its own words', (locale, method) => {
    const notice = templates.render('new-sign-in', locale, {
      time: '2026-11-27 00:10 UTC',
      ip: '203.0.113.7',
      browser: 'Firefox',
      method,
    });
    const words = METHOD_WORDS[locale][method];
    expect(notice.text).toContain(`${words}\n`);
    expect(notice.html).toContain(`<li>${words}</li>`);
  });

  it('new-sign-in says so in its own words when the IP is not known', () => {
    const notice = templates.render('new-sign-in', 'de', { browser: 'Firefox', method: 'otp' });
    expect(notice.text).toContain('IP-Adresse: unbekannt\n');
  });
});
