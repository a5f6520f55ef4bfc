import type { Options, Request } from 'autocannon';
import { BENCH_PASSWORD, loginCodes, passwordAccounts, sessions } from './seed';

export interface Scenario {
  name: string;
  /** What the result is compared with: the bare NestJS app, or argon2id alone. */
  target: { kind: 'ceiling' | 'argon2'; ratio: number } | null;
  /** Measured on the bare NestJS app (bench/bare-app.ts) instead of the service. */
  bare?: boolean;
  /** Autocannon options beyond url and connections; either a duration or a fixed amount. */
  options(): Partial<Options>;
  /** Refresh tokens to rotate, one chain per connection (run by chain-runner, not autocannon). */
  chains?: string[];
  /** Uses up what was seeded for it (codes), so it gets no warm-up run. */
  consumes?: boolean;
}

export interface ScenarioSettings {
  duration: number;
  repeats: number;
  connections: number;
  loginAmount: number;
  passwordAmount: number;
}

/** One POST whose JSON body is made afresh for every request. */
function postJson(path: string, body: () => unknown): Request[] {
  return [
    {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      setupRequest: (req: Request) => ({ ...req, body: JSON.stringify(body()) }),
    },
  ];
}

/** Seeds through the public API and returns the measured scenarios (the bare ceiling first). */
export async function buildScenarios(
  base: string,
  settings: ScenarioSettings,
): Promise<Scenario[]> {
  const { duration, repeats, connections, loginAmount, passwordAmount } = settings;
  const [viewer] = await sessions(base, 1, 'viewer');
  const refreshChains = await sessions(base, connections, 'refresher');
  const codes = await loginCodes(base, loginAmount * repeats + connections, 'login');
  const members = await passwordAccounts(base, 10);
  let emailCounter = 0;
  let codeCursor = 0;
  let memberCursor = 0;

  return [
    {
      name: 'ceiling: bare NestJS + Fastify GET /health',
      target: null,
      bare: true,
      options: () => ({ duration, requests: [{ method: 'GET', path: '/health' }] }),
    },
    {
      name: 'GET /api/health',
      target: { kind: 'ceiling', ratio: 0.5 },
      options: () => ({ duration, requests: [{ method: 'GET', path: '/api/health' }] }),
    },
    {
      name: 'GET /api/users/me',
      target: { kind: 'ceiling', ratio: 0.2 },
      options: () => ({
        duration,
        requests: [
          {
            method: 'GET',
            path: '/api/users/me',
            headers: { authorization: `Bearer ${viewer.access}` },
          },
        ],
      }),
    },
    {
      name: 'POST /api/users/get-otp/ (distinct emails)',
      target: { kind: 'ceiling', ratio: 0.05 },
      options: () => ({
        duration,
        requests: postJson('/api/users/get-otp/', () => ({
          email: `otp.${process.pid}.${emailCounter++}@bench.example.com`,
        })),
      }),
    },
    {
      name: 'POST /api/users/login/ (distinct codes)',
      target: { kind: 'ceiling', ratio: 0.036 },
      consumes: true,
      options: () => ({
        amount: loginAmount,
        requests: postJson('/api/users/login/', () => codes[codeCursor++ % codes.length]),
      }),
    },
    {
      name: 'POST /api/users/token/refresh/',
      target: { kind: 'ceiling', ratio: 0.04 },
      // One rotation chain per connection: each request sends the token the previous one got.
      chains: refreshChains.map((session) => session.refresh),
      options: () => ({ duration }),
    },
    {
      name: 'POST /api/users/login/ (password)',
      target: { kind: 'argon2', ratio: 0.9 },
      options: () => ({
        amount: passwordAmount,
        requests: postJson('/api/users/login/', () => ({
          email: members[memberCursor++ % members.length],
          password: BENCH_PASSWORD,
        })),
      }),
    },
  ];
}
