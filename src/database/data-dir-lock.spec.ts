import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from './data-dir-lock';

describe('lockDataDir', () => {
  const dir = () => join(mkdtempSync(join(tmpdir(), 'mailguard-lock-')), 'pglite');

  it('refuses a folder another live process holds', () => {
    const dataDir = dir();
    writeFileSync(`${dataDir}.lock`, String(process.ppid));
    expect(() => lockDataDir(dataDir)).toThrow(/in use by process \d+\. Stop it first/);
  });

  it('takes over the lock of a process that is gone', () => {
    const dataDir = dir();
    writeFileSync(`${dataDir}.lock`, '999999999');
    const unlock = lockDataDir(dataDir);
    expect(() => lockDataDir(dataDir)).toThrow(/in use by process/);
    unlock();
    expect(() => lockDataDir(dataDir)()).not.toThrow();
  });
});
