import type { Scenario, ScenarioSettings } from './scenarios';

export interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  cpuPerRequestUs: number;
  peakRssMb: number;
  errors: number;
}

interface ScenarioSummary extends Measurement {
  name: string;
  ratio: number | null;
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
  peakRssMb: number;
  rssTargetMet: boolean;
  errors: number;
  scenarios: ScenarioSummary[];
  allTargetsMet: boolean;
}

const RSS_LIMIT_MB = 200;
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
  const scenarios = input.runs.map(({ scenario, measurements }): ScenarioSummary => {
    const m: Measurement = {
      rps: median(measurements.map((x) => x.rps)),
      p50: median(measurements.map((x) => x.p50)),
      p99: median(measurements.map((x) => x.p99)),
      cpuPerRequestUs: median(measurements.map((x) => x.cpuPerRequestUs)),
      peakRssMb: Math.max(...measurements.map((x) => x.peakRssMb)),
      errors: measurements.reduce((sum, x) => sum + x.errors, 0),
    };
    if (!scenario.target)
      return { name: scenario.name, ...m, ratio: null, target: null, met: null };
    const base = scenario.target.kind === 'ceiling' ? ceilingRps : argon2PerSecond;
    const ratio = m.rps / base;
    const target = `≥ ${Math.round(scenario.target.ratio * 100)} % of ${scenario.target.kind === 'ceiling' ? 'ceiling' : 'argon2id alone'}`;
    return {
      name: scenario.name,
      ...m,
      ratio,
      target,
      // The targets are set for PostgreSQL + Redis; the embedded setup is reported without a verdict.
      met: input.setup === 'embedded' ? null : ratio >= scenario.target.ratio && m.errors === 0,
    };
  });
  const peakRssMb = Math.max(...scenarios.map((s) => s.peakRssMb));
  const errors = scenarios.reduce((sum, s) => sum + s.errors, 0);
  return {
    date: new Date().toISOString(),
    ...input,
    runs: undefined,
    argon2PerSecond,
    ceilingRps,
    peakRssMb,
    rssTargetMet: peakRssMb <= RSS_LIMIT_MB,
    errors,
    scenarios,
    allTargetsMet:
      scenarios.every((s) => s.met !== false) && peakRssMb <= RSS_LIMIT_MB && errors === 0,
  } as Summary;
}

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function renderMarkdown(s: Summary): string {
  const rows = s.scenarios.map(
    (x) =>
      `| ${x.name} | ${fmt(x.rps)} | ${fmt(x.p50, 1)} | ${fmt(x.p99, 1)} | ${fmt(x.cpuPerRequestUs)} | ${fmt(x.peakRssMb)} | ${x.errors} | ${x.ratio === null ? '—' : `${fmt(x.ratio * 100, 1)} %`} | ${x.target ?? '—'} | ${x.met === null ? '' : x.met ? 'met' : 'NOT met'} |`,
  );
  return [
    `### ${s.setup} — ${s.date.slice(0, 10)}, Node ${s.node}, ${s.cores} cores, ${s.settings.connections} connections`,
    '',
    `Medians of ${s.settings.repeats} interleaved runs (${s.settings.duration} s, or ${s.settings.loginAmount} code logins / ${s.settings.passwordAmount} password logins). argon2id alone, on all cores next to each password run: ${fmt(s.argon2PerSecond, 1)} verifications/s (median).`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | server CPU µs/req | peak RSS MB | errors | of target base | target | |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...rows,
    '',
    `Peak RSS ${fmt(s.peakRssMb)} MB${s.setup === 'embedded' ? ' (includes the in-process PGlite database)' : ` (target ≤ 200 MB: ${s.rssTargetMet ? 'met' : 'NOT met'})`}; error responses: ${s.errors}.`,
  ].join('\n');
}
