import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The client's generated types are those of the current openapi.json (`npm run client:generate`). */
describe('@mailguard/client generated types', () => {
  it('match a fresh generation from openapi.json', () => {
    const root = join(__dirname, '..');
    const fresh = join(mkdtempSync(join(tmpdir(), 'mailguard-client-types-')), 'openapi.ts');
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/openapi-typescript/bin/cli.js'),
        join(root, 'openapi.json'),
        '-o',
        fresh,
      ],
      { stdio: 'pipe' },
    );
    const committed = readFileSync(join(root, 'clients/js/src/generated/openapi.ts'), 'utf8');
    // A failure here means: run `npm run client:generate` and commit the result.
    expect(committed === readFileSync(fresh, 'utf8')).toBe(true);
  });
});
