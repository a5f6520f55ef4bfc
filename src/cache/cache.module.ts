import { CacheModule } from '@nestjs/cache-manager';
import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import KeyvRedis, { createClient, Keyv, RedisClientType } from '@keyv/redis';
import { cacheConfig, CacheConfig } from './cache.config';
import { AtomicStore } from './atomic-store';
import { MemoryAtomicStore } from './memory-atomic-store';
import { RedisAtomicStore } from './redis-atomic-store';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
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

/** One Redis connection (or none) shared by the cache manager and the atomic store. */
@Module({
  providers: [
    { provide: REDIS_CLIENT, inject: [cacheConfig.KEY], useFactory: connectRedis },
    RedisLifecycle,
  ],
  exports: [REDIS_CLIENT],
})
class RedisClientModule {}

/**
 * The cache every module injects: `CACHE_MANAGER` (cache-manager 7 over Keyv) for plain values and
 * `AtomicStore` for counters and single-use records. Both live in Redis when REDIS_URL is set,
 * in this process otherwise.
 */
@Global()
@Module({
  imports: [
    RedisClientModule,
    CacheModule.registerAsync({
      imports: [RedisClientModule],
      inject: [cacheConfig.KEY, REDIS_CLIENT],
      useFactory: (config: CacheConfig, client: RedisClientType | null) => ({
        stores: client
          ? [new Keyv({ store: new KeyvRedis(client), namespace: `${config.keyPrefix}cache` })]
          : [new Keyv()],
      }),
    }),
  ],
  providers: [
    {
      provide: AtomicStore,
      inject: [cacheConfig.KEY, REDIS_CLIENT],
      useFactory: (config: CacheConfig, client: RedisClientType | null) =>
        client ? new RedisAtomicStore(client, config.keyPrefix) : new MemoryAtomicStore(),
    },
  ],
  exports: [CacheModule, AtomicStore, RedisClientModule],
})
export class AppCacheModule {}
