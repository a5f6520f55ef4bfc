import { Inject, Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRtl, MAIL_LOCALES, MailLocale } from './mail-locales';
import { mailConfig, MailConfig } from './mail.config';

/** Every mail MailGuard sends; each exists in every locale of MAIL_LOCALES (subject, HTML, text). */
export const MAIL_TEMPLATES = [
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

export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

/** How a sign-in was made; `new-sign-in` names it in the reader's words (`{{#if (eq method "otp")}}`). */
export type SignInMethod = 'otp' | 'magic_link' | 'password';

export interface MailContext {
  name?: string;
  code?: string;
  minutes?: number;
  /** login-code: the magic link beside the code. */
  link?: string;
  /** email-change-code, email-changed: the address the account moves to. */
  newEmail?: string;
  /** new-sign-in: when (UTC), from where, with what, and how. */
  time?: string;
  ip?: string;
  browser?: string;
  method?: SignInMethod;
  /** password-changed: the change was made from a session that stays signed in (self-service). */
  keptSession?: boolean;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

const PARTS = ['subject', 'html', 'txt'] as const;
type Part = (typeof PARTS)[number];

type Render = (context: MailContext) => string;
type Compiled = Record<Part, Render>;

/** What a template is tried with at boot, so a missing helper fails there, not in a request. */
const SAMPLE: MailContext = { name: 'Sample', code: '123456', minutes: 10, method: 'otp' };

/**
 * Our own Handlebars environment with one helper, `eq`, so a template picks its own words for a
 * value (`{{#if (eq method "password")}}Passwort{{/if}}`) instead of code passing English in.
 */
const handlebars = Handlebars.create();
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);

export class MailTemplateError extends Error {
  constructor(file: string, reason: string) {
    super(`Mail template ${file}: ${reason}`);
    this.name = 'MailTemplateError';
  }
}

/**
 * Handlebars templates per locale and purpose, compiled and tried once at boot: the bundled ones
 * in ./templates/<locale>/, each replaced by a file of MAIL_TEMPLATES_DIR when there is one. HTML
 * escapes every value; subject and text are plain text.
 */
@Injectable()
export class MailTemplatesService {
  private readonly bundledDir = join(__dirname, 'templates');
  private readonly layout: (context: {
    body: string;
    lang: string;
    dir: string;
    align: string;
  }) => string;
  private readonly compiled = new Map<string, Compiled>();

  constructor(@Inject(mailConfig.KEY) config: Pick<MailConfig, 'templatesDir'>) {
    this.layout = this.compileFile(join(this.bundledDir, 'layout.html.hbs'), 'html');
    const overrides = config.templatesDir
      ? readOverrides(resolve(config.templatesDir))
      : new Map<string, string>();
    for (const locale of MAIL_LOCALES) {
      for (const template of MAIL_TEMPLATES) {
        const parts = {} as Compiled;
        for (const part of PARTS) {
          const key = `${locale}/${template}.${part}.hbs`;
          const file = overrides.get(key) ?? join(this.bundledDir, key);
          parts[part] = this.compileFile(file, part);
        }
        this.compiled.set(`${locale}/${template}`, parts);
      }
    }
  }

  render(template: MailTemplate, locale: MailLocale, context: MailContext): RenderedMail {
    const parts = this.compiled.get(`${locale}/${template}`)!;
    const dir = isRtl(locale) ? 'rtl' : 'ltr';
    return {
      // One line, whatever the file's line breaks: a header cannot be split by a template.
      subject: parts.subject(context).replace(/\s+/g, ' ').trim(),
      html: this.layout({
        body: parts.html(context),
        lang: locale,
        dir,
        align: dir === 'rtl' ? 'right' : 'left',
      }),
      text: parts.txt(context),
    };
  }

  private compileFile<T>(file: string, part: Part): (context: T) => string {
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      throw new MailTemplateError(file, `cannot be read (${(error as Error).message})`);
    }
    try {
      const render = handlebars.compile<T>(source, { noEscape: part !== 'html', strict: false });
      render({ ...SAMPLE, body: '' } as T);
      return render;
    } catch (error) {
      throw new MailTemplateError(file, `does not compile (${(error as Error).message})`);
    }
  }
}

/**
 * `<dir>/<locale>/<template>.<part>.hbs` files by their relative name. Anything else in the
 * folder (an unknown locale or template, a stray file) stops the boot naming it: a typo would
 * otherwise leave the bundled mail in place without a word.
 */
function readOverrides(dir: string): Map<string, string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new MailTemplateError(dir, 'MAIL_TEMPLATES_DIR is not a folder');
  const found = new Map<string, string>();
  for (const locale of readdirSync(dir)) {
    const localeDir = join(dir, locale);
    if (!(MAIL_LOCALES as readonly string[]).includes(locale) || !statSync(localeDir).isDirectory())
      throw new MailTemplateError(
        localeDir,
        `unknown locale folder (expected one of ${MAIL_LOCALES.join(', ')})`,
      );
    for (const file of readdirSync(localeDir)) {
      const match = /^(.+)\.(subject|html|txt)\.hbs$/.exec(file);
      if (!match || !(MAIL_TEMPLATES as readonly string[]).includes(match[1]))
        throw new MailTemplateError(
          join(localeDir, file),
          `unknown template file (expected <template>.subject.hbs, .html.hbs or .txt.hbs, template one of ${MAIL_TEMPLATES.join(', ')})`,
        );
      found.set(`${locale}/${file}`, join(localeDir, file));
    }
  }
  return found;
}
