import { createClient, RedisClientType } from '@redis/client';
import { randomBytes } from 'node:crypto';
import { describeAtomicStoreContract } from './atomic-store.contract';
import { RedisAtomicStore } from './redis-atomic-store';
import { fromClient } from './redis-connection';

const redisUrl = process.env.REDIS_URL;

// Runs when REDIS_URL is set (as in CI's second pass), under a prefix of its own that it removes.
(redisUrl ? describe : describe.skip)('RedisAtomicStore', () => {
  describeAtomicStoreContract(async () => {
    const client = createClient({ url: redisUrl }) as RedisClientType;
    await client.connect();
    const prefix = `mailguard-contract:${randomBytes(6).toString('hex')}:`;
    return {
      store: new RedisAtomicStore(fromClient(client), prefix),
      async close() {
        const keys = await client.keys(`${prefix}*`);
        if (keys.length > 0) await client.del(keys);
        await client.close();
      },
    };
  });
});
