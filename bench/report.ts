import type { Scenario, ScenarioSettings } from './scenarios';

export interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  cpuPerRequestUs: number;
  /** PostgreSQL's backends (PostgreSQL setup only; null otherwise). */
  databaseCpuPerRequestUs: number | null;
  peakRssMb: number;
  errors: number;
}

interface ScenarioSummary extends Measurement {
  name: string;
  ratio: number | null;
  /** Share of the service's own GET /api/health, which pays the whole pipeline. */
  ofHealth: number | null;
  target: string | null;
  met: boolean | null;
}

export interface Summary {
  date: string;
  setup: string;
  node: string;
  cores: number;
  settings: ScenarioSettings;
  argon2Runs: number[];
  argon2PerSecond: number;
  ceilingRps: number;
  healthRps: number;
  peakRssMb: number;
  rssTargetMet: boolean;
  errors: number;
  scenarios: ScenarioSummary[];
  allTargetsMet: boolean;
}

const RSS_LIMIT_MB = 200;
// '—' for what a partial run (`--only`) did not measure: no /api/health, no argon2id alone.
const fmt = (value: number | undefined, digits = 0) =>
  value === undefined || !Number.isFinite(value)
    ? '—'
    : value.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      });
const percent = (value: number | null) =>
  value === null || !Number.isFinite(value) ? '—' : `${fmt(value * 100, 1)} %`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function summarize(input: {
  setup: string;
  node: string;
  cores: number;
  settings: ScenarioSettings;
  argon2Runs: number[];
  runs: { scenario: Scenario; measurements: Measurement[] }[];
}): Summary {
  const ceilingRps = median(input.runs[0].measurements.map((m) => m.rps));
  const argon2PerSecond = median(input.argon2Runs);
  const health = input.runs.find(({ scenario }) => scenario.name === 'GET /api/health');
  const healthRps = health ? median(health.measurements.map((m) => m.rps)) : NaN;
  const scenarios = input.runs.map(({ scenario, measurements }): ScenarioSummary => {
    const m: Measurement = {
      rps: median(measurements.map((x) => x.rps)),
      p50: median(measurements.map((x) => x.p50)),
      p99: median(measurements.map((x) => x.p99)),
      cpuPerRequestUs: median(measurements.map((x) => x.cpuPerRequestUs)),
      databaseCpuPerRequestUs: scenario.bare
        ? null
        : medianOrNull(measurements.map((x) => x.databaseCpuPerRequestUs)),
      peakRssMb: Math.max(...measurements.map((x) => x.peakRssMb)),
      errors: measurements.reduce((sum, x) => sum + x.errors, 0),
    };
    const ofHealth = scenario.bare ? null : m.rps / healthRps;
    if (!scenario.target)
      return { name: scenario.name, ...m, ratio: null, ofHealth, target: null, met: null };
    const base = scenario.target.kind === 'ceiling' ? ceilingRps : argon2PerSecond;
    const ratio = m.rps / base;
    const target = `≥ ${fmt(scenario.target.ratio * 100, 1)} % of ${scenario.target.kind === 'ceiling' ? 'ceiling' : 'argon2id alone'}`;
    return {
      name: scenario.name,
      ...m,
      ratio,
      ofHealth: scenario.target.kind === 'argon2' ? null : ofHealth,
      target,
      // The targets are set for PostgreSQL + Redis; the embedded setup is reported without a verdict.
      met: input.setup === 'embedded' ? null : ratio >= scenario.target.ratio && m.errors === 0,
    };
  });
  // The service's memory: the bare app's own process is not MailGuard.
  const peakRssMb = Math.max(
    ...scenarios.filter((_, i) => !input.runs[i].scenario.bare).map((s) => s.peakRssMb),
  );
  const errors = scenarios.reduce((sum, s) => sum + s.errors, 0);
  return {
    date: new Date().toISOString(),
    ...input,
    runs: undefined,
    argon2PerSecond,
    ceilingRps,
    healthRps,
    peakRssMb,
    rssTargetMet: peakRssMb <= RSS_LIMIT_MB,
    errors,
    scenarios,
    allTargetsMet:
      scenarios.every((s) => s.met !== false) && peakRssMb <= RSS_LIMIT_MB && errors === 0,
  } as Summary;
}

export function renderMarkdown(s: Summary): string {
  const rows = s.scenarios.map(
    (x) =>
      `| ${x.name} | ${fmt(x.rps)} | ${fmt(x.p50, 1)} | ${fmt(x.p99, 1)} | ${fmt(x.cpuPerRequestUs)} | ${x.databaseCpuPerRequestUs === null ? '—' : fmt(x.databaseCpuPerRequestUs)} | ${fmt(x.peakRssMb)} | ${x.errors} | ${percent(x.ratio)} | ${percent(x.ofHealth)} | ${x.target ?? '—'} | ${x.met === null ? '' : x.met ? 'met' : 'NOT met'} |`,
  );
  return [
    `### ${s.setup} — ${s.date.slice(0, 10)}, Node ${s.node}, ${s.cores} cores, ${s.settings.connections} connections`,
    '',
    `Medians of ${s.settings.repeats} interleaved runs (${s.settings.duration} s, or ${s.settings.loginAmount} code logins / ${s.settings.passwordAmount} password logins). argon2id alone, on all cores right before and right after each password run: ${fmt(s.argon2PerSecond, 1)} verifications/s (median of the two's means).`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | server CPU µs/req | PostgreSQL CPU µs/req | peak RSS MB | errors | of target base | of /api/health | target | |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...rows,
    '',
    `The ceiling is a bare NestJS + Fastify app (same versions, a global ValidationPipe, one route) started beside the service; "of target base" is the share of it (or of argon2id alone for password login). Peak RSS ${fmt(s.peakRssMb)} MB${s.setup === 'embedded' ? ' (includes the in-process PGlite database)' : ` (target ≤ 200 MB: ${s.rssTargetMet ? 'met' : 'NOT met'})`}; error responses: ${s.errors}.`,
  ].join('\n');
}

function medianOrNull(values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length > 0 ? median(known) : null;
}
