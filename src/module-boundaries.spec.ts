import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The arrows between the folders of src/ (STYLE.md's layout): each folder lists the folders it may
 * import. Infrastructure (config, common, cache, database, observability) serves every feature;
 * `common` is a leaf. A new folder must be added here, which makes its place in the house explicit.
 */
const INFRASTRUCTURE = ['common', 'config', 'cache', 'database', 'observability'];
const ALLOWED: Record<string, string[]> = {
  common: [],
  config: ['common'],
  cache: ['common', 'config'],
  observability: ['common', 'config'],
  // The entity list and the TypeORM options: the one place that knows every table.
  database: [
    'common',
    'config',
    'users',
    'sessions',
    'mail',
    'keys',
    'api-keys',
    'audit',
    'webhooks',
  ],
  'rate-limit': INFRASTRUCTURE,
  otp: INFRASTRUCTURE,
  mail: [...INFRASTRUCTURE, 'events'],
  'email-validation': INFRASTRUCTURE,
  audit: INFRASTRUCTURE,
  webhooks: INFRASTRUCTURE,
  // Any feature may say what happened; only `events` knows who listens.
  events: [...INFRASTRUCTURE, 'audit', 'webhooks'],
  keys: [...INFRASTRUCTURE, 'events'],
  sessions: [...INFRASTRUCTURE, 'keys', 'events'],
  'api-keys': [...INFRASTRUCTURE, 'sessions', 'keys', 'events'],
  users: [...INFRASTRUCTURE, 'sessions', 'email-validation', 'mail', 'events'],
  auth: [
    ...INFRASTRUCTURE,
    'rate-limit',
    'otp',
    'sessions',
    'users',
    'mail',
    'email-validation',
    'events',
  ],
  health: [...INFRASTRUCTURE, 'mail', 'webhooks'],
  // The webhook admin routes: events/ delivers through webhooks/, so they cannot live inside it.
  'webhook-admin': [...INFRASTRUCTURE, 'webhooks', 'events'],
};

const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The top-level folder of src/ a path lies in, or null for the root files (main, app.module…). */
function areaOf(path: string): string | null {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0] : null;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((match) => resolve(dirname(file), match[1]));
}

describe('module boundaries', () => {
  const files = sourceFiles(SRC);

  it('knows every folder of src/', () => {
    const areas = new Set(files.map(areaOf).filter((area): area is string => area !== null));
    expect([...areas].filter((area) => !(area in ALLOWED))).toEqual([]);
  });

  it('imports only along the arrows', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = areaOf(file);
      if (from === null) continue;
      for (const target of importsOf(file)) {
        const to = areaOf(target);
        if (to === from) continue;
        // config composes every area's reader (`<area>/<area>.config.ts`) into one parse.
        if (from === 'config' && target.endsWith('.config')) continue;
        if (to === null || !(ALLOWED[from] ?? []).includes(to))
          violations.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
