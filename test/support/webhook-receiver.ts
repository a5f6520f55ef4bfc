import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
}

/** Chooses the answer to a delivery: a status, or 'hang' to never answer (timeouts). */
export type Responder = (delivery: Omit<ReceivedDelivery, 'status'>) => number | 'hang';

/**
 * A real HTTP receiver on 127.0.0.1, as a team's service would run one: it records every request
 * and answers what `respond` says (200 by default). It can stop and start again on the same port.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  /** Requests it was told to leave unanswered ('hang'), still open until the sender gives up. */
  readonly hanging: Omit<ReceivedDelivery, 'status'>[] = [];
  respond: Responder = () => 200;
  private server?: Server;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const delivery = {
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        const answer = this.respond(delivery);
        if (answer === 'hang') {
          this.hanging.push(delivery);
          return;
        }
        this.received.push({ ...delivery, status: answer });
        res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests whose JSON `type` is `type` (answered ones only). */
  ofType(type: string): ReceivedDelivery[] {
    return this.received.filter((delivery) => parsed(delivery).type === type);
  }
}

export function parsed(delivery: { body: string }): {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
} {
  return JSON.parse(delivery.body) as {
    type: string;
    timestamp: string;
    data: Record<string, unknown>;
  };
}

/** Polls `check` until it returns something truthy; fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
