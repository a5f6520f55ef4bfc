/**
 * The one cache every module injects: in Redis when REDIS_URL is set (keys `REDIS_KEY_PREFIX` +
 * key), in this process otherwise.
 *
 * Its operations are atomic across every instance: counters, claims and single-use records.
 * Redis runs them as single commands or Lua scripts; the in-process store runs them synchronously,
 * which serializes them per key within the one process that owns the data. Plain values (strings,
 * or JSON for staged registrations and Mailboxlayer verdicts) live beside them under the same keys.
 */
export abstract class AtomicStore {
  /** Adds one to a fixed-window counter; the window starts at the first hit. */
  abstract increment(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;

  /** Sets a value only when absent. Returns 0 when it was set, else the ms left on the existing one. */
  abstract setIfAbsent(key: string, ttlMs: number, value?: string): Promise<number>;

  /** Replaces a record (string fields) and gives it a lifetime. */
  abstract putRecord(key: string, fields: Record<string, string>, ttlMs: number): Promise<void>;

  /** Adds one to `counter` and returns the record with the new count, or null when it does not exist. */
  abstract incrementAndRead(key: string, counter: string): Promise<Record<string, string> | null>;

  /** Deletes the record only if `field` still holds `value`; true for exactly one caller. */
  abstract deleteIfFieldEquals(key: string, field: string, value: string): Promise<boolean>;

  /**
   * incrementAndRead and deleteIfFieldEquals in one step (one round trip): adds one to `counter`
   * of an existing record, then, while the count is at most `limit`, deletes the record if `field`
   * holds `value`. True for exactly one caller.
   */
  abstract incrementThenDeleteIfFieldEquals(
    key: string,
    counter: string,
    limit: number,
    field: string,
    value: string,
  ): Promise<boolean>;

  abstract get(key: string): Promise<string | null>;
  abstract set(key: string, value: string, ttlMs: number): Promise<void>;
  abstract delete(key: string): Promise<void>;
  abstract ping(): Promise<void>;

  /** A value stored with `setJson`, or undefined when absent or expired. */
  async getJson<T>(key: string): Promise<T | undefined> {
    const raw = await this.get(key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async setJson(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.set(key, JSON.stringify(value), ttlMs);
  }
}
