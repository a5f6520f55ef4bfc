import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configToken } from './config-token';
import { EnvReader } from './env-parser';

export interface SecretConfig {
  key: string;
  generated: boolean;
}

export const secretConfig = configToken('secret');

const logger = new Logger('Config');

/** SECRET_KEY as given; a short one is refused in production and warned about elsewhere. */
export function readSecretInput(r: EnvReader, isProduction: boolean): string | undefined {
  const input = r.optional('SECRET_KEY');
  if (input !== undefined && input.length < 32) {
    if (isProduction) r.errors.push('SECRET_KEY must be at least 32 characters long');
    else logger.warn('SECRET_KEY is shorter than 32 characters; use a longer one');
  }
  return input;
}

/**
 * In development a missing SECRET_KEY is generated once and kept in the data folder. Called only
 * once the rest of the configuration is valid, so a refused configuration writes nothing.
 */
export function resolveSecret(input: string | undefined, dataDir: string): SecretConfig {
  if (input !== undefined) return { key: input, generated: false };
  const file = join(dataDir, 'secret_key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  logger.warn(`SECRET_KEY is not set; using the development key kept in ${file}`);
  return { key: readFileSync(file, 'utf8').trim(), generated: true };
}
