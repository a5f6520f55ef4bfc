import { HttpClient } from './http-client';

export interface MailboxEntry {
  id: string;
  to: string;
  subject: string;
  /** The language the mail is written in. */
  locale?: string;
  code: string | null;
  text: string | null;
  created_at: string;
}

/** Reads the development outbox the way a person would: through GET /dev/mailbox. */
export async function mailsTo(client: HttpClient, email: string): Promise<MailboxEntry[]> {
  const res = await client.get<{ data: MailboxEntry[] }>('/dev/mailbox', {
    headers: { accept: 'application/json' },
  });
  if (res.status !== 200) throw new Error(`mailbox answered ${res.status}`);
  return res.body.data.filter((mail) => mail.to === email);
}

/** Waits for the newest mail to `email` that arrived after `after` mails were already there. */
export async function waitForMail(
  client: HttpClient,
  email: string,
  after = 0,
  timeoutMs = 5000,
): Promise<MailboxEntry> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailsTo(client, email);
    if (mails.length > after) return mails[0];
    if (Date.now() > deadline) throw new Error(`no mail to ${email} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function waitForCode(client: HttpClient, email: string, after = 0): Promise<string> {
  const mail = await waitForMail(client, email, after);
  if (!mail.code) throw new Error(`mail to ${email} has no code: ${mail.text}`);
  return mail.code;
}

let counter = 0;
/** A fresh address per test, so tests never share state. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}.${counter}@example.com`;
}
