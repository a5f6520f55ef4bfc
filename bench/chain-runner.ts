/**
 * Refresh-token rotation needs each connection to send the token its previous answer returned,
 * which autocannon cannot carry across its request loop (it resets the per-connection context),
 * so this small runner drives `connections` keep-alive chains itself.
 */
import { Agent, request } from 'node:http';

export interface ChainResult {
  total: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

export async function runRefreshChains(
  base: string,
  tokens: string[],
  seconds: number,
): Promise<ChainResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: tokens.length });
  const latenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    tokens.map(async (initial, index) => {
      let refresh = initial;
      while (performance.now() < deadline) {
        const sent = performance.now();
        const { status, body } = await post(
          agent,
          `${base}/api/users/token/refresh/`,
          JSON.stringify({ refresh }),
        );
        latenciesMs.push(performance.now() - sent);
        const next =
          status === 200 ? (JSON.parse(body) as { refresh?: string }).refresh : undefined;
        if (next) refresh = next;
        else {
          errors++;
          tokens[index] = refresh;
          return;
        }
      }
      // The next run of this scenario continues the same chains.
      tokens[index] = refresh;
    }),
  );
  agent.destroy();
  return {
    total: latenciesMs.length,
    errors,
    seconds: (performance.now() - started) / 1000,
    latenciesMs,
  };
}

function post(
  agent: Agent,
  url: string,
  payload: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
