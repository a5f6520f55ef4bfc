import { MAIL_TEMPLATES, MailTemplate, MailTemplatesService } from './mail-templates.service';

describe('MailTemplatesService', () => {
  const templates = new MailTemplatesService();

  it('renders the code on one readable line of the text part', () => {
    const { subject, text, html } = templates.render('login-code', { code: '012345', minutes: 10 });
    expect(subject).toBe('Your MailGuard sign-in code');
    expect(text).toContain('Your sign-in code is: 012345\n');
    expect(text).toContain('It is valid for 10 minutes and works once.');
    expect(html).toContain('>012345</p>');
  });

  it('escapes user-supplied names in HTML', () => {
    const { html, text } = templates.render('password-changed', {
      name: '<script>alert(1)</script> & "Co"',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(text).toContain('Hello <script>alert(1)</script> & "Co",');
  });

  it.each(Object.keys(MAIL_TEMPLATES) as MailTemplate[])(
    'renders %s with HTML and text parts',
    (name) => {
      const rendered = templates.render(name, { code: '123456', minutes: 10, name: 'Asha' });
      expect(rendered.html).toMatch(/^<!doctype html>/i);
      expect(rendered.text.trim().length).toBeGreaterThan(20);
      expect(rendered.text).toContain('Hello Asha,');
    },
  );

  it('puts the magic link beside the code only when there is one', () => {
    const link = 'https://app.example.com/magic?from=mail&token=abc_DEF-123';
    const withLink = templates.render('login-code', { code: '012345', minutes: 10, link });
    expect(withLink.text).toContain(`\n${link}\n`);
    expect(withLink.text.indexOf('012345')).toBeLessThan(withLink.text.indexOf(link));
    expect(withLink.html).toContain(
      "href='https://app.example.com/magic?from&#x3D;mail&amp;token&#x3D;abc_DEF-123'",
    );
    const without = templates.render('login-code', { code: '012345', minutes: 10 });
    expect(without.text).not.toContain('link');
    expect(without.html).not.toContain('href');
  });

  it('renders the email change and new sign-in mails with their details, escaped in HTML', () => {
    const change = templates.render('email-change-code', {
      code: '482913',
      minutes: 10,
      newEmail: 'new<b>@example.com',
    });
    expect(change.text).toMatch(/^[^\d]*482913/);
    expect(change.html).toContain('new&lt;b&gt;@example.com');
    const notice = templates.render('new-sign-in', {
      time: '2026-11-27 00:10 UTC',
      ip: '203.0.113.7',
      browser: 'Firefox',
      method: 'sign-in link',
    });
    expect(notice.text).toContain('IP address: 203.0.113.7');
    expect(notice.text).toContain('Method: sign-in link');
  });
});
