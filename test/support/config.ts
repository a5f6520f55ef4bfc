import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadConfiguration } from '../../src/config/configuration';

/** A fresh data folder, so a generated development secret never leaks between tests. */
export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'mailguard-config-'));

/** The problems `loadConfiguration` names for `env`, or none when it accepts it. */
export function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfiguration(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}
