import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

export interface CacheConfig {
  /** Redis; without it the cache lives in this process. */
  redisUrl?: string;
  keyPrefix: string;
}

export const cacheConfig = configToken('cache');

export function readCacheConfig(r: EnvReader): CacheConfig {
  return {
    redisUrl: r.url('REDIS_URL', ['redis', 'rediss']),
    keyPrefix: r.string('REDIS_KEY_PREFIX', 'mailguard:'),
  };
}
