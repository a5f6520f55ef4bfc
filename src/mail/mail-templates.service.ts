import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MAIL_TEMPLATES = {
  'login-code': 'Your MailGuard sign-in code',
  'register-code': 'Confirm your MailGuard registration',
  'reset-code': 'Your MailGuard password reset code',
  'account-exists': 'You already have a MailGuard account',
  'password-changed': 'Your MailGuard password was changed',
  'account-locked': 'Password sign-in to your MailGuard account is locked',
  'email-change-code': 'Confirm the new email of your MailGuard account',
  'email-changed': 'The email of your MailGuard account was changed',
  'new-sign-in': 'New sign-in to your MailGuard account',
} as const;

export type MailTemplate = keyof typeof MAIL_TEMPLATES;

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
  method?: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Render = (context: MailContext) => string;

/** Handlebars templates (HTML and text) per purpose, compiled once. HTML escapes every value. */
@Injectable()
export class MailTemplatesService {
  private readonly dir = join(__dirname, 'templates');
  private readonly layout = this.compile('layout.html.hbs', false) as (context: {
    body: string;
  }) => string;
  private readonly compiled = new Map<MailTemplate, { html: Render; text: Render }>(
    (Object.keys(MAIL_TEMPLATES) as MailTemplate[]).map((name) => [
      name,
      {
        html: this.compile(`${name}.html.hbs`, false),
        text: this.compile(`${name}.text.hbs`, true),
      },
    ]),
  );

  render(template: MailTemplate, context: MailContext): RenderedMail {
    const { html, text } = this.compiled.get(template)!;
    return {
      subject: MAIL_TEMPLATES[template],
      html: this.layout({ body: html(context) }),
      text: text(context),
    };
  }

  private compile(file: string, plainText: boolean): Render {
    return Handlebars.compile(readFileSync(join(this.dir, file), 'utf8'), {
      noEscape: plainText,
      strict: false,
    });
  }
}
