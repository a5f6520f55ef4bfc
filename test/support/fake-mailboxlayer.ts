import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A stand-in for the Mailboxlayer API. The answer depends on the first dot-separated part of the
 * local part: `nosmtp` → smtp_check false, `nomx` → mx_found false, `dispo` → disposable,
 * `error` → Mailboxlayer's own error (HTTP 200, success false), `broken` → HTTP 500,
 * `hang` → never answers; anything else is a deliverable address.
 */
export class FakeMailboxlayer {
  readonly requests: URLSearchParams[] = [];
  url = '';
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.answer(req.url ?? '/', res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/check`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  requestsFor(email: string): URLSearchParams[] {
    return this.requests.filter((params) => params.get('email') === email);
  }

  private answer(path: string, res: ServerResponse): void {
    const params = new URL(path, 'http://fake').searchParams;
    this.requests.push(params);
    const email = params.get('email') ?? '';
    const [user, domain] = email.split('@');
    const kind = user.split('.')[0];
    if (kind === 'hang') return;
    if (kind === 'broken') {
      res.writeHead(500).end('Internal Server Error');
      return;
    }
    const body =
      kind === 'error'
        ? {
            success: false,
            error: {
              code: 101,
              type: 'invalid_access_key',
              info: 'You have not supplied a valid API Access Key.',
            },
          }
        : {
            email,
            did_you_mean: '',
            user,
            domain,
            format_valid: true,
            mx_found: kind !== 'nomx',
            smtp_check: kind !== 'nosmtp' && kind !== 'nomx',
            catch_all: null,
            role: false,
            disposable: kind === 'dispo',
            free: false,
            score: 0.8,
          };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}
