import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

export interface RedisNodeAddress {
  host: string;
  port: number;
}

/**
 * Where Redis is: one node (`REDIS_URL`), a Sentinel group (`REDIS_SENTINELS` +
 * `REDIS_SENTINEL_NAME`) or a cluster (`REDIS_CLUSTER_NODES`); at most one of the three.
 */
export type RedisTarget =
  | { mode: 'single'; url: string }
  | { mode: 'sentinel'; sentinels: RedisNodeAddress[]; name: string; password?: string }
  | { mode: 'cluster'; nodes: RedisNodeAddress[]; password?: string };

export interface CacheConfig {
  /** Redis; without it the cache lives in this process. */
  redis?: RedisTarget;
  keyPrefix: string;
}

export const cacheConfig = configToken('cache');

const REDIS_MODE_VARIABLES = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const;

export function readCacheConfig(r: EnvReader): CacheConfig {
  return { redis: readRedisTarget(r), keyPrefix: r.string('REDIS_KEY_PREFIX', 'mailguard:') };
}

/** True when one of the ways to name Redis is set (production requires one). */
export function redisConfigured(r: EnvReader): boolean {
  return REDIS_MODE_VARIABLES.some((name) => r.raw(name) !== undefined);
}

function readRedisTarget(r: EnvReader): RedisTarget | undefined {
  const given = REDIS_MODE_VARIABLES.filter((name) => r.raw(name) !== undefined);
  if (given.length > 1) {
    r.errors.push(`${given.join(' and ')} are exclusive: set only one of ${given.join(', ')}`);
    return undefined;
  }
  const url = r.url('REDIS_URL', ['redis', 'rediss']);
  // The password of every node (and of the sentinels); a single node takes it in REDIS_URL.
  const password = r.optional('REDIS_PASSWORD');
  if (given[0] === 'REDIS_SENTINELS') {
    const sentinels = readNodes(r, 'REDIS_SENTINELS');
    const name = r.optional('REDIS_SENTINEL_NAME');
    if (name === undefined) {
      r.errors.push('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS (the master group name)');
    }
    return sentinels && name ? { mode: 'sentinel', sentinels, name, password } : undefined;
  }
  if (r.raw('REDIS_SENTINEL_NAME') !== undefined) {
    r.errors.push('REDIS_SENTINEL_NAME is only read with REDIS_SENTINELS');
  }
  if (given[0] === 'REDIS_CLUSTER_NODES') {
    const nodes = readNodes(r, 'REDIS_CLUSTER_NODES');
    return nodes ? { mode: 'cluster', nodes, password } : undefined;
  }
  if (url !== undefined && password !== undefined) {
    r.errors.push(
      'REDIS_PASSWORD is for REDIS_SENTINELS or REDIS_CLUSTER_NODES; put it in REDIS_URL',
    );
  }
  return url === undefined ? undefined : { mode: 'single', url };
}

/** `host:port,host:port`; IPv6 hosts in brackets (`[::1]:6379`). */
function readNodes(r: EnvReader, name: string): RedisNodeAddress[] | undefined {
  const nodes: RedisNodeAddress[] = [];
  for (const item of r.list(name)) {
    const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(item);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      return r.fail(name, 'must be a comma-separated list of host:port', item, undefined);
    }
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  if (nodes.length === 0) return r.fail(name, 'must name at least one host:port', '', undefined);
  return nodes;
}
