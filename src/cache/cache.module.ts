import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AtomicStore } from './atomic-store';
import { cacheConfig, CacheConfig } from './cache.config';
import { MemoryAtomicStore } from './memory-atomic-store';
import { RedisAtomicStore } from './redis-atomic-store';
import { connectRedis, RedisConnection } from './redis-connection';

/** The Redis connection (or null without Redis settings); only the store below uses it. */
const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CONNECTION) private readonly connection: RedisConnection | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection?.close();
  }
}

/**
 * The cache every module injects: `AtomicStore`, for counters, single-use records and plain or
 * JSON values alike. It lives in Redis (one node, Sentinel or cluster) when configured, in this
 * process otherwise.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CONNECTION,
      inject: [cacheConfig.KEY],
      useFactory: (config: CacheConfig) => (config.redis ? connectRedis(config.redis) : null),
    },
    RedisLifecycle,
    {
      provide: AtomicStore,
      inject: [cacheConfig.KEY, REDIS_CONNECTION],
      useFactory: (config: CacheConfig, connection: RedisConnection | null) =>
        connection ? new RedisAtomicStore(connection, config.keyPrefix) : new MemoryAtomicStore(),
    },
  ],
  exports: [AtomicStore],
})
export class AppCacheModule {}
