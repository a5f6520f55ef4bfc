import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

export interface WebhooksConfig {
  /** Lets targets on loopback, private, link-local and metadata addresses through (tests, labs). */
  allowPrivateNetworks: boolean;
  /** Multiplies the retry schedule (5 s … 10 h); tests make it tiny. */
  retryScale: number;
  /** How long a receiver may take to answer one delivery. */
  timeoutMs: number;
  workerIntervalMs: number;
}

export const webhooksConfig = configToken('webhooks');

export function readWebhooksConfig(r: EnvReader): WebhooksConfig {
  return {
    allowPrivateNetworks: r.bool('WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    retryScale: readScale(r),
    timeoutMs: r.int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    workerIntervalMs: r.int('WEBHOOK_WORKER_INTERVAL_MS', 1000, 50, 60_000),
  };
}

function readScale(r: EnvReader): number {
  const value = r.raw('WEBHOOK_RETRY_SCALE');
  if (value === undefined) return 1;
  const parsed = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(parsed > 0 && parsed <= 100))
    return r.fail('WEBHOOK_RETRY_SCALE', 'must be a number above 0 and at most 100', value, 1);
  return parsed;
}
