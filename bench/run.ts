/**
 * npm run bench [-- --duration 10 --repeats 3 --connections 50 --smoke --check --only get-otp,codes]
 * Starts the production build and a bare NestJS + Fastify app (the ceiling), seeds through the
 * public API, measures each scenario interleaved with the ceiling, and writes bench/results/.
 */
import autocannon from 'autocannon';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { argon2Capacity } from './argon2-capacity';
import { runRefreshChains } from './chain-runner';
import { Measurement, renderMarkdown, Summary, summarize } from './report';
import { buildScenarios, Scenario } from './scenarios';
import { BenchServer, cpuSeconds, rssMegabytes, startBareServer, startServer } from './server';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const smoke = process.argv.includes('--smoke');
// `--only a,b`: just the scenarios whose names contain one of these (an A/B of a few routes).
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1].split(',') : null;
const settings = {
  duration: flag('duration', smoke ? 2 : 10),
  repeats: flag('repeats', smoke ? 1 : 3),
  connections: flag('connections', 50),
  loginAmount: flag('login-amount', smoke ? 300 : 4000),
  passwordAmount: flag('password-amount', smoke ? 100 : 600),
};

interface Load {
  total: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(server: BenchServer, scenario: Scenario): Promise<Load> {
  if (scenario.chains) {
    const result = await runRefreshChains(server.url, scenario.chains, settings.duration);
    const sorted = result.latenciesMs.sort((a, b) => a - b);
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      total: result.total,
      seconds: result.seconds,
      p50: at(0.5),
      p99: at(0.99),
      errors: result.errors,
    };
  }
  const started = performance.now();
  let lastResponse = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: server.url, connections: settings.connections, ...scenario.options() },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on('response', () => (lastResponse = performance.now()));
  });
  return {
    total: result.requests.total,
    // Until the last answer: autocannon notices that a fixed amount is done only at its next
    // one-second tick, which made runs of an amount look up to a second longer than they were.
    seconds: (lastResponse - started) / 1000,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

let bareServer: BenchServer;

async function measure(app: BenchServer, scenario: Scenario): Promise<Measurement> {
  const server = scenario.bare ? bareServer : app;
  const databaseBefore = await server.databaseCpu?.();
  const cpuBefore = cpuSeconds(server.pid);
  let peakRssMb = rssMegabytes(server.pid);
  const sampler = setInterval(
    () => (peakRssMb = Math.max(peakRssMb, rssMegabytes(server.pid))),
    100,
  );
  const { total, seconds, p50, p99, errors } = await load(server, scenario);
  clearInterval(sampler);
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const cpuPerRequestUs = total > 0 ? (cpu * 1e6) / total : 0;
  const databaseAfter = await server.databaseCpu?.();
  let databaseCpu = 0;
  for (const [pid, after] of databaseAfter ?? [])
    databaseCpu += after - (databaseBefore?.get(pid) ?? 0);
  const databaseCpuPerRequestUs = databaseAfter && total > 0 ? (databaseCpu * 1e6) / total : null;
  return {
    rps: total / seconds,
    p50,
    p99,
    cpuPerRequestUs,
    databaseCpuPerRequestUs,
    peakRssMb,
    errors,
  };
}

async function main(): Promise<void> {
  const port = 3900 + Math.floor(Math.random() * 90);
  const server = await startServer(port);
  bareServer = await startBareServer(port + 1000);
  try {
    const scenarios = await buildScenarios(server.url, settings);
    const [ceiling, ...all] = scenarios;
    const measured = only ? all.filter((s) => only.some((part) => s.name.includes(part))) : all;
    // Warm-up, 2 s each, on every route that uses up nothing (seeded codes and refresh chains
    // are counted): a first run would otherwise also measure the JIT compiling the route's code.
    const warmUp = measured.filter((s) => !s.chains && !s.consumes);
    await server.vacuum?.();
    for (const scenario of [ceiling, ...warmUp])
      await measure(server, {
        ...scenario,
        options: () => ({ ...scenario.options(), amount: undefined, duration: 2 }),
      });
    const runs = new Map<Scenario, Measurement[]>([ceiling, ...measured].map((s) => [s, []]));
    // argon2id alone is measured right before and right after each password run, while the
    // service is idle: the host's speed drifts within minutes, and the mean of the two brackets
    // the run it is compared with.
    const argon2Runs: number[] = [];
    const argon2Alone = () => argon2Capacity(smoke ? 1 : 4);
    for (let repeat = 0; repeat < settings.repeats; repeat++) {
      for (const scenario of measured) {
        // What autovacuum does in any PostgreSQL deployment (pgbench vacuums before each run too):
        // without it (autovacuum off, as on the CI machine) the service's prepared statements keep
        // the plans made while the tables were empty, scans of whole tables that grow with every
        // scenario. Before the ceiling's run, so the pair's two runs come after it alike.
        await server.vacuum?.();
        runs.get(ceiling)!.push(await measure(server, ceiling));
        const argon2Before = scenario.target?.kind === 'argon2' ? await argon2Alone() : null;
        runs.get(scenario)!.push(await measure(server, scenario));
        if (argon2Before !== null) argon2Runs.push((argon2Before + (await argon2Alone())) / 2);
        process.stdout.write('.');
      }
    }
    process.stdout.write('\n');
    const summary: Summary = summarize({
      setup: server.setup,
      node: process.version,
      cores: availableParallelism(),
      settings,
      argon2Runs,
      runs: [...runs].map(([scenario, measurements]) => ({ scenario, measurements })),
    });
    const markdown = renderMarkdown(summary);
    console.log(markdown);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    // A smoke or partial run only proves the benchmark works; it never replaces the recorded results.
    const files = smoke || only ? ['smoke'] : ['latest', server.setup.replace('+', '-')];
    for (const file of files) {
      writeFileSync(join(dir, `${file}.json`), `${JSON.stringify(summary, null, 2)}\n`);
      writeFileSync(join(dir, `${file}.md`), `${markdown}\n`);
    }
    if (process.argv.includes('--check') && !summary.allTargetsMet) process.exitCode = 1;
  } finally {
    await bareServer.stop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
