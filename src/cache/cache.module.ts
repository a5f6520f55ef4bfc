import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { createClient, RedisClientType } from '@redis/client';
import { AtomicStore } from './atomic-store';
import { cacheConfig, CacheConfig } from './cache.config';
import { MemoryAtomicStore } from './memory-atomic-store';
import { RedisAtomicStore } from './redis-atomic-store';

/** The Redis connection (or null without REDIS_URL); only the store below uses it. */
const REDIS_CLIENT = Symbol('REDIS_CLIENT');
const logger = new Logger('Cache');

async function connectRedis(config: CacheConfig): Promise<RedisClientType | null> {
  if (!config.redisUrl) return null;
  const client = createClient({
    url: config.redisUrl,
    // Fail fast while Redis is away instead of queueing: callers answer 503 and retry later.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  }) as RedisClientType;
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message !== lastError) logger.warn(`Redis: ${error.message}`);
    lastError = error.message;
  });
  client.on('ready', () => (lastError = ''));
  await client.connect();
  return client;
}

class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: RedisClientType | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.client?.isOpen) await this.client.close();
  }
}

/**
 * The cache every module injects: `AtomicStore`, for counters, single-use records and plain or
 * JSON values alike. It lives in Redis when REDIS_URL is set, in this process otherwise.
 */
@Global()
@Module({
  providers: [
    { provide: REDIS_CLIENT, inject: [cacheConfig.KEY], useFactory: connectRedis },
    RedisLifecycle,
    {
      provide: AtomicStore,
      inject: [cacheConfig.KEY, REDIS_CLIENT],
      useFactory: (config: CacheConfig, client: RedisClientType | null) =>
        client ? new RedisAtomicStore(client, config.keyPrefix) : new MemoryAtomicStore(),
    },
  ],
  exports: [AtomicStore],
})
export class AppCacheModule {}
