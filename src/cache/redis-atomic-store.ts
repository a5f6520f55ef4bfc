import { AtomicStore } from './atomic-store';
import type { RedisConnection } from './redis-connection';

const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

const SET_IF_ABSENT = `
if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[1]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then return 1 end
return ttl`;

const PUT_RECORD = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

const INCREMENT_AND_READ = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return redis.call('HGETALL', KEYS[1])`;

const DELETE_IF_FIELD_EQUALS = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('DEL', KEYS[1]) end
return 0`;

const INCREMENT_THEN_DELETE_IF_FIELD_EQUALS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HINCRBY', KEYS[1], ARGV[1], 1) > tonumber(ARGV[2]) then return 0 end
if redis.call('HGET', KEYS[1], ARGV[3]) == ARGV[4] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Redis implementation: each operation is one command or one Lua script on one key, atomic for
 * every instance, on a single node, a Sentinel group or a cluster alike.
 */
export class RedisAtomicStore extends AtomicStore {
  constructor(
    private readonly client: RedisConnection,
    private readonly prefix: string,
  ) {
    super();
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const [count, resetMs] = (await this.eval(INCREMENT, key, [String(windowMs)])) as [
      number,
      number,
    ];
    return { count, resetMs };
  }

  async setIfAbsent(key: string, ttlMs: number, value = '1'): Promise<number> {
    return (await this.eval(SET_IF_ABSENT, key, [String(ttlMs), value])) as number;
  }

  async putRecord(key: string, fields: Record<string, string>, ttlMs: number): Promise<void> {
    await this.eval(PUT_RECORD, key, [String(ttlMs), ...Object.entries(fields).flat()]);
  }

  async incrementAndRead(key: string, counter: string): Promise<Record<string, string> | null> {
    const flat = (await this.eval(INCREMENT_AND_READ, key, [counter])) as string[] | null;
    if (!flat) return null;
    const record: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) record[flat[i]] = flat[i + 1];
    return record;
  }

  async deleteIfFieldEquals(key: string, field: string, value: string): Promise<boolean> {
    return ((await this.eval(DELETE_IF_FIELD_EQUALS, key, [field, value])) as number) === 1;
  }

  async incrementThenDeleteIfFieldEquals(
    key: string,
    counter: string,
    limit: number,
    field: string,
    value: string,
  ): Promise<boolean> {
    const deleted = await this.eval(INCREMENT_THEN_DELETE_IF_FIELD_EQUALS, key, [
      counter,
      String(limit),
      field,
      value,
    ]);
    return deleted === 1;
  }

  async get(key: string): Promise<string | null> {
    return this.client.get(this.prefix + key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(this.prefix + key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  private eval(script: string, key: string, args: string[]): Promise<unknown> {
    return this.client.eval(script, this.prefix + key, args);
  }
}
