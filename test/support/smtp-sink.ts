import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The username the client authenticated with, when it did. */
  user?: string;
}

export interface SmtpCredentials {
  username: string;
  password: string;
}

export interface SmtpSinkOptions {
  /**
   * Require AUTH (PLAIN/LOGIN over the plain connection) and record every username and password
   * received; any credentials are accepted. Off by default (AUTH optional, none recorded).
   */
  auth?: boolean;
}

/** A real SMTP server in the test process; it can be stopped and started again on the same port. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Credentials received through AUTH (only with `auth: true`). */
  readonly logins: SmtpCredentials[] = [];
  private server?: SMTPServer;
  port = 0;

  constructor(private readonly options: SmtpSinkOptions = {}) {}

  async start(port = this.port): Promise<void> {
    const auth = this.options.auth === true;
    this.server = new SMTPServer({
      authOptional: !auth,
      disabledCommands: ['STARTTLS'],
      ...(auth
        ? {
            allowInsecureAuth: true,
            authMethods: ['PLAIN', 'LOGIN'],
            onAuth: (credentials, _session, callback) => {
              const username = credentials.username ?? '';
              this.logins.push({ username, password: credentials.password ?? '' });
              callback(null, { user: username });
            },
          }
        : {}),
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            user: typeof session.user === 'string' ? session.user : undefined,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  /** The settings that send the app's mail here (call after start). */
  env(): Record<string, string> {
    return {
      MAIL_TRANSPORT: 'smtp',
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(this.port),
      EMAIL_FROM: 'MailGuard <no-reply@mailguard.test>',
    };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async waitFor(email: string, count = 1, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mails = this.received.filter((mail) => mail.to.includes(email));
      if (mails.length >= count) return mails;
      if (Date.now() > deadline)
        throw new Error(`SMTP sink got no mail for ${email} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The code in a raw message: searched in the body only, never in headers such as Message-ID. */
export function codeIn(raw: string, length: number): string {
  const body = raw.slice(raw.search(/\r?\n\r?\n/)).replace(/=\r?\n/g, '');
  const match = new RegExp(`code[^0-9]{0,40}(\\d{${length}})\\b`, 'i').exec(body);
  if (!match) throw new Error('no code in mail');
  return match[1];
}
