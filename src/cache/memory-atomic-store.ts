import { AtomicStore } from './atomic-store';

interface Entry {
  value: string | Map<string, string>;
  expiresAt: number;
}

const SWEEP_EVERY_MS = 60_000;

/** In-process implementation: every method body is synchronous, so each call is atomic. */
export class MemoryAtomicStore extends AtomicStore {
  private readonly entries = new Map<string, Entry>();
  private lastSweep = Date.now();

  increment(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const now = Date.now();
    const entry = this.live(key, now);
    if (!entry) {
      this.entries.set(key, { value: '1', expiresAt: now + windowMs });
      return Promise.resolve({ count: 1, resetMs: windowMs });
    }
    const count = Number(entry.value) + 1;
    entry.value = String(count);
    return Promise.resolve({ count, resetMs: entry.expiresAt - now });
  }

  setIfAbsent(key: string, ttlMs: number, value = '1'): Promise<number> {
    const now = Date.now();
    const entry = this.live(key, now);
    if (entry) return Promise.resolve(Math.max(1, entry.expiresAt - now));
    this.entries.set(key, { value, expiresAt: now + ttlMs });
    return Promise.resolve(0);
  }

  putRecord(key: string, fields: Record<string, string>, ttlMs: number): Promise<void> {
    this.entries.set(key, {
      value: new Map(Object.entries(fields)),
      expiresAt: Date.now() + ttlMs,
    });
    return Promise.resolve();
  }

  incrementAndRead(key: string, counter: string): Promise<Record<string, string> | null> {
    const record = this.live(key, Date.now())?.value;
    if (!(record instanceof Map)) return Promise.resolve(null);
    record.set(counter, String(Number(record.get(counter) ?? '0') + 1));
    return Promise.resolve(Object.fromEntries(record));
  }

  deleteIfFieldEquals(key: string, field: string, value: string): Promise<boolean> {
    const record = this.live(key, Date.now())?.value;
    if (!(record instanceof Map) || record.get(field) !== value) return Promise.resolve(false);
    this.entries.delete(key);
    return Promise.resolve(true);
  }

  incrementThenDeleteIfFieldEquals(
    key: string,
    counter: string,
    limit: number,
    field: string,
    value: string,
  ): Promise<boolean> {
    const record = this.live(key, Date.now())?.value;
    if (!(record instanceof Map)) return Promise.resolve(false);
    const count = Number(record.get(counter) ?? '0') + 1;
    record.set(counter, String(count));
    if (count > limit || record.get(field) !== value) return Promise.resolve(false);
    this.entries.delete(key);
    return Promise.resolve(true);
  }

  get(key: string): Promise<string | null> {
    const value = this.live(key, Date.now())?.value;
    return Promise.resolve(typeof value === 'string' ? value : null);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  private live(key: string, now: number): Entry | undefined {
    this.sweep(now);
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Drops expired entries now and then so abandoned keys do not pile up. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
