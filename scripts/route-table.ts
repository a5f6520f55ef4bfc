/**
 * The README's "Where each route lives" table, generated from openapi.json: each operationId
 * starts with its controller's class name, and each controller class lives in one file.
 *
 *   npx ts-node --transpile-only scripts/route-table.ts           prints the table
 *   npx ts-node --transpile-only scripts/route-table.ts --write   rewrites it in README.md
 *
 * test/route-table.e2e-spec.ts fails when the README's table differs from this one.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';

const ROOT = join(__dirname, '..');
export const README_FILE = join(ROOT, 'README.md');
export const ROUTE_TABLE_HEADING = '## Where each route lives';

/** Controller class name → file, from every `*.controller.ts` under src/. */
function controllerFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.controller.ts')) {
        for (const [, name] of readFileSync(path, 'utf8').matchAll(/export class (\w+)/g)) {
          files.set(name, relative(ROOT, path));
        }
      }
    }
  };
  walk(join(ROOT, 'src'));
  return files;
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

/** The table's rows (cells), one per documented operation, by file, then path, then method. */
export function routeTableRows(): string[][] {
  const doc = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8')) as {
    paths: Record<string, Record<string, { operationId: string }>>;
  };
  const files = controllerFiles();
  const operations = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, { operationId }]) => {
      const controller = operationId.split('_')[0];
      const file = files.get(controller);
      if (!file) throw new Error(`No *.controller.ts declares ${controller} (${operationId})`);
      return { method, path, file, controller };
    }),
  );
  operations.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.path.localeCompare(b.path) ||
      METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
  );
  return [
    ['Route', 'File', 'Controller'],
    ...operations.map(({ method, path, file, controller }) => [
      `\`${method.toUpperCase()} ${path}\``,
      `\`${file}\``,
      controller,
    ]),
  ];
}

/** A table row's cells; the separator row (`|---|`) gives none. */
const cellsOf = (line: string): string[] =>
  /^\|[\s|:-]+\|$/.test(line)
    ? []
    : line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim());

/** The table rows (cells) of README.md's "Where each route lives" section. */
export function readmeRouteTableRows(readme = readFileSync(README_FILE, 'utf8')): string[][] {
  return tableLines(readme)
    .map(cellsOf)
    .filter((cells) => cells.length > 0);
}

function tableLines(readme: string): string[] {
  const start = readme.indexOf(`\n${ROUTE_TABLE_HEADING}\n`);
  if (start < 0) return [];
  const end = readme.indexOf('\n## ', start + 1);
  return readme
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith('|'));
}

/** The table as Markdown (Prettier pads it when README.md is written). */
function markdownTable(): string {
  const [header, ...rows] = routeTableRows();
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

async function writeReadme(): Promise<void> {
  const readme = readFileSync(README_FILE, 'utf8');
  const table = tableLines(readme).join('\n');
  if (!table) throw new Error(`README.md has no table under "${ROUTE_TABLE_HEADING}"`);
  const at = readme.indexOf(table, readme.indexOf(ROUTE_TABLE_HEADING));
  const updated = readme.slice(0, at) + markdownTable() + readme.slice(at + table.length);
  const options = await resolveConfig(README_FILE);
  writeFileSync(README_FILE, await format(updated, { ...options, filepath: README_FILE }));
  console.log(`wrote the route table to ${README_FILE}`);
}

if (require.main === module) {
  if (process.argv.includes('--write')) {
    writeReadme().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  } else console.log(markdownTable());
}
