import { isIP } from 'node:net';
import { canonicalizeEmail } from '../common/email/canonical-email';
import { configToken } from './config-token';
import { EnvReader } from './env-parser';

export type NodeEnv = 'development' | 'production' | 'test';
export type TrustProxy = false | number | string[];

export interface AppConfig {
  nodeEnv: NodeEnv;
  isProduction: boolean;
  port: number;
  /** The external base URL (`PUBLIC_URL`), no trailing slash: issuer, discovery, cookies. */
  publicUrl: string;
  dataDir: string;
  trustProxy: TrustProxy;
  corsOrigins: string[];
  metricsEnabled: boolean;
  adminEmail?: string;
  logLevel: string;
  logFile?: string;
}

export const appConfig = configToken('app');

/** The service as a whole: HTTP, proxies, logs, metrics and the first admin. */
export function readAppConfig(
  r: EnvReader,
  { nodeEnv, dataDir }: { nodeEnv: NodeEnv; dataDir: string },
): AppConfig {
  const port = r.int('PORT', 3000, 0, 65535);
  return {
    nodeEnv,
    isProduction: nodeEnv === 'production',
    port,
    publicUrl: parsePublicUrl(r, port),
    dataDir,
    trustProxy: parseTrustProxy(r),
    corsOrigins: parseOrigins(r),
    metricsEnabled: r.bool('METRICS_ENABLED', false),
    adminEmail: parseAdminEmail(r),
    logLevel: r.oneOf('LOG_LEVEL', 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
    logFile: r.optional('LOG_FILE'),
  };
}

function parseTrustProxy(r: EnvReader): TrustProxy {
  const value = r.optional('TRUST_PROXY');
  if (value === undefined || value.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(value)) return r.int('TRUST_PROXY', 0, 0, 32);
  const entries = r.list('TRUST_PROXY');
  const bad = entries.filter((entry) => !isCidrOrIp(entry));
  if (bad.length > 0) {
    return r.fail(
      'TRUST_PROXY',
      'must be a hop count or a comma-separated list of IPs/CIDRs',
      value,
      false,
    );
  }
  return entries;
}

/** ADMIN_EMAIL in its canonical form, so the account made admin at boot is the one that signs in. */
function parseAdminEmail(r: EnvReader): string | undefined {
  const value = r.optional('ADMIN_EMAIL');
  if (value === undefined) return undefined;
  return (
    canonicalizeEmail(value) ??
    r.fail('ADMIN_EMAIL', 'must be a valid email address', value, undefined)
  );
}

function isCidrOrIp(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || isIP(address) === 0) return false;
  if (prefix === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d+$/.test(prefix) && Number(prefix) <= max;
}

function parsePublicUrl(r: EnvReader, port: number): string {
  const value = r.optional('PUBLIC_URL') ?? `http://localhost:${port}`;
  try {
    const url = new URL(value);
    if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) throw new Error();
    return url.href.replace(/\/+$/, '');
  } catch {
    return r.fail('PUBLIC_URL', 'must be an http(s) URL like https://auth.example.com', value, '');
  }
}

function parseOrigins(r: EnvReader): string[] {
  const origins = r.list('CORS_ORIGINS');
  // Credentials (the refresh cookie) go to listed origins only; a wildcard would hand them to anyone.
  if (origins.includes('*'))
    return r.fail('CORS_ORIGINS', 'must list origins; * is not allowed', '*', []);
  for (const origin of origins) {
    try {
      if (new URL(origin).origin !== origin) throw new Error('not an origin');
    } catch {
      r.fail(
        'CORS_ORIGINS',
        'must be comma-separated origins like https://app.example.com',
        origin,
        undefined,
      );
    }
  }
  return origins;
}
