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
});
