import { createHash } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export type RangeMode = 'answer' | 'error' | 'slow';

function sha1(password: string): string {
  return createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
}

/**
 * A stand-in for the Have I Been Pwned range API. `breached` passwords are listed with a count;
 * `padded` ones appear only as padding lines (count 0), as the real API pads answers with
 * `Add-Padding: true`. `mode` turns it into a failing (HTTP 500) or a slow (10 s) server.
 */
export class FakePwnedRanges {
  readonly requests: { path: string; headers: IncomingHttpHeaders }[] = [];
  mode: RangeMode = 'answer';
  url = '';
  private server?: Server;

  constructor(
    private readonly breached: string[],
    private readonly padded: string[] = [],
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push({ path: req.url ?? '', headers: req.headers });
      if (this.mode === 'error') return void res.writeHead(500).end('unavailable');
      const prefix = (req.url ?? '').split('/').pop()!.toUpperCase();
      const answer = () =>
        res.writeHead(200, { 'content-type': 'text/plain' }).end(this.range(prefix));
      if (this.mode === 'slow') setTimeout(answer, 10_000).unref();
      else answer();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/range/`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private range(prefix: string): string {
    const lines = [
      '0018A45C4D1DEF81644B54AB7F969B88D65:0',
      '00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0',
    ];
    for (const [passwords, count] of [
      [this.breached, 42],
      [this.padded, 0],
    ] as const) {
      for (const hash of passwords.map(sha1))
        if (hash.startsWith(prefix)) lines.push(`${hash.slice(5)}:${count}`);
    }
    return lines.join('\r\n');
  }
}

/** A URL on a port where nothing listens. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/range/`;
}
