import Handlebars from 'handlebars';
import type { MailboxEntry } from './dev-mailbox.service';

const page = Handlebars.compile(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="3">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MailGuard dev mailbox</title>
<style>
  body { font-family: -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif; margin: 0; background: #f4f5f7; color: #1f2328; }
  header { background: #1f2328; color: #fff; padding: 16px 24px; }
  header h1 { margin: 0; font-size: 18px; }
  header p { margin: 4px 0 0; font-size: 13px; color: #c9d1d9; }
  main { max-width: 860px; margin: 24px auto; padding: 0 16px; }
  .mail { background: #fff; border-radius: 8px; padding: 16px 20px; margin-bottom: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .meta { display: flex; justify-content: space-between; gap: 12px; font-size: 13px; color: #57606a; }
  .subject { font-weight: 600; margin: 6px 0; }
  .code { font-family: ui-monospace, Menlo, monospace; font-size: 26px; font-weight: 700; letter-spacing: 4px; background: #fff8c5; padding: 2px 10px; border-radius: 6px; display: inline-block; }
  .lang { font-size: 11px; font-weight: 700; text-transform: uppercase; background: #ddf4ff; color: #0969da; padding: 1px 6px; border-radius: 4px; vertical-align: middle; }
  pre { white-space: pre-wrap; font-size: 13px; color: #57606a; margin: 8px 0 0; }
  .empty { text-align: center; color: #57606a; padding: 48px 0; }
</style>
</head>
<body>
<header><h1>MailGuard dev mailbox</h1><p>Mails that would have been sent, newest first. Refreshes every 3 seconds. JSON: send <code>Accept: application/json</code>.</p></header>
<main>
{{#each mails}}
  <article class="mail" data-id="{{id}}">
    <div class="meta"><span class="to">To: {{to}}</span><time datetime="{{created_at}}">{{created_at}}</time></div>
    <div class="subject"><span class="lang" title="Content-Language">{{locale}}</span> <span lang="{{locale}}">{{subject}}</span></div>
    {{#if code}}<div>Code: <span class="code">{{code}}</span></div>{{/if}}
    <pre lang="{{locale}}">{{text}}</pre>
  </article>
{{else}}
  <p class="empty">No mail yet. Request a code with <code>POST /api/users/get-otp/</code> in <a href="/docs">Swagger UI</a>.</p>
{{/each}}
</main>
</body>
</html>`);

/** A small self-contained page; every value is HTML-escaped by Handlebars. */
export function renderMailboxPage(mails: MailboxEntry[]): string {
  return page({ mails });
}
