import { AtomicStore } from './atomic-store';

/**
 * What every AtomicStore must do alike, run against each implementation by its spec
 * (memory-atomic-store.spec.ts, redis-atomic-store.spec.ts). Real timers and short lifetimes,
 * because Redis keeps its own clock.
 */
export interface StoreUnderTest {
  store: AtomicStore;
  /** Removes whatever the cases wrote and releases the store. */
  close(): Promise<void>;
}

const SHORT_MS = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeAtomicStoreContract(open: () => Promise<StoreUnderTest>): void {
  let subject: StoreUnderTest;
  let store: AtomicStore;

  beforeAll(async () => {
    subject = await open();
    store = subject.store;
  });
  afterAll(() => subject.close());

  describe('increment', () => {
    it('counts hits in a window that starts at the first one', async () => {
      await expect(store.increment('inc:a', 60_000)).resolves.toEqual({
        count: 1,
        resetMs: expect.any(Number) as number,
      });
      const second = await store.increment('inc:a', 60_000);
      expect(second.count).toBe(2);
      expect(second.resetMs).toBeGreaterThan(0);
      expect(second.resetMs).toBeLessThanOrEqual(60_000);
    });

    it('starts over once the window has passed', async () => {
      await store.increment('inc:b', SHORT_MS);
      await store.increment('inc:b', SHORT_MS);
      await sleep(SHORT_MS + 50);
      await expect(store.increment('inc:b', SHORT_MS)).resolves.toMatchObject({ count: 1 });
    });

    it('gives parallel hits distinct counts', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.increment('inc:c', 60_000)),
      );
      expect(results.map((result) => result.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });
  });

  describe('setIfAbsent', () => {
    it('sets an absent key (0) and reports the time left on a present one', async () => {
      await expect(store.setIfAbsent('claim:a', 60_000, 'first')).resolves.toBe(0);
      const left = await store.setIfAbsent('claim:a', 60_000, 'second');
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(60_000);
      await expect(store.get('claim:a')).resolves.toBe('first');
    });

    it('lets exactly one of parallel claims win', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.setIfAbsent('claim:b', 60_000)),
      );
      expect(results.filter((left) => left === 0)).toHaveLength(1);
    });

    it('can claim again once the claim has expired', async () => {
      await store.setIfAbsent('claim:c', SHORT_MS);
      await sleep(SHORT_MS + 50);
      await expect(store.setIfAbsent('claim:c', SHORT_MS)).resolves.toBe(0);
    });
  });

  describe('records', () => {
    it('increments a counter field and returns the whole record', async () => {
      await store.putRecord('rec:a', { hash: 'h', attempts: '0' }, 60_000);
      await expect(store.incrementAndRead('rec:a', 'attempts')).resolves.toEqual({
        hash: 'h',
        attempts: '1',
      });
      await expect(store.incrementAndRead('rec:a', 'attempts')).resolves.toEqual({
        hash: 'h',
        attempts: '2',
      });
    });

    it('starts a missing counter field at 1', async () => {
      await store.putRecord('rec:b', { hash: 'h' }, 60_000);
      await expect(store.incrementAndRead('rec:b', 'attempts')).resolves.toEqual({
        hash: 'h',
        attempts: '1',
      });
    });

    it('answers null for a record that does not exist or has expired', async () => {
      await expect(store.incrementAndRead('rec:missing', 'attempts')).resolves.toBeNull();
      await store.putRecord('rec:c', { hash: 'h' }, SHORT_MS);
      await sleep(SHORT_MS + 50);
      await expect(store.incrementAndRead('rec:c', 'attempts')).resolves.toBeNull();
    });

    it('replaces a record entirely', async () => {
      await store.putRecord('rec:d', { hash: 'old', extra: 'x' }, 60_000);
      await store.putRecord('rec:d', { hash: 'new' }, 60_000);
      await expect(store.incrementAndRead('rec:d', 'n')).resolves.toEqual({
        hash: 'new',
        n: '1',
      });
    });

    it('deletes a record only while the field matches, for exactly one caller', async () => {
      await store.putRecord('rec:e', { hash: 'h' }, 60_000);
      await expect(store.deleteIfFieldEquals('rec:e', 'hash', 'other')).resolves.toBe(false);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => store.deleteIfFieldEquals('rec:e', 'hash', 'h')),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      await expect(store.incrementAndRead('rec:e', 'n')).resolves.toBeNull();
    });
  });

  describe('counted single use (incrementThenDeleteIfFieldEquals)', () => {
    it('deletes a matching record for exactly one caller, counting every try', async () => {
      await store.putRecord('use:a', { hash: 'h', n: '0' }, 60_000);
      await expect(
        store.incrementThenDeleteIfFieldEquals('use:a', 'n', 5, 'hash', 'x'),
      ).resolves.toBe(false);
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          store.incrementThenDeleteIfFieldEquals('use:a', 'n', 5, 'hash', 'h'),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      await expect(store.incrementAndRead('use:a', 'n')).resolves.toBeNull();
    });

    it('refuses even the right value once the count passes the limit, and keeps the record', async () => {
      await store.putRecord('use:b', { hash: 'h', n: '0' }, 60_000);
      for (let i = 0; i < 2; i += 1)
        await store.incrementThenDeleteIfFieldEquals('use:b', 'n', 2, 'hash', 'wrong');
      await expect(
        store.incrementThenDeleteIfFieldEquals('use:b', 'n', 2, 'hash', 'h'),
      ).resolves.toBe(false);
      await expect(store.incrementAndRead('use:b', 'n')).resolves.toEqual({ hash: 'h', n: '4' });
    });

    it('answers false for a record that does not exist, and does not create it', async () => {
      await expect(
        store.incrementThenDeleteIfFieldEquals('use:missing', 'n', 5, 'hash', 'h'),
      ).resolves.toBe(false);
      await expect(store.incrementAndRead('use:missing', 'n')).resolves.toBeNull();
    });
  });

  describe('plain values', () => {
    it('sets, reads, expires and deletes strings', async () => {
      await expect(store.get('val:missing')).resolves.toBeNull();
      await store.set('val:a', 'one', 60_000);
      await expect(store.get('val:a')).resolves.toBe('one');
      await store.delete('val:a');
      await expect(store.get('val:a')).resolves.toBeNull();
      await store.set('val:b', 'two', SHORT_MS);
      await sleep(SHORT_MS + 50);
      await expect(store.get('val:b')).resolves.toBeNull();
    });

    it('keeps JSON values as they were stored', async () => {
      const value = { passwordHash: 'h', fullName: 'Ada', mobile: null, n: 1, ok: true };
      await expect(store.getJson('json:missing')).resolves.toBeUndefined();
      await store.setJson('json:a', value, 60_000);
      await expect(store.getJson('json:a')).resolves.toEqual(value);
      await store.delete('json:a');
      await expect(store.getJson('json:a')).resolves.toBeUndefined();
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
