import { Batcher } from './batcher';

describe('Batcher', () => {
  it('writes a lone row at once and the rows that arrive meanwhile together in the next write', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const group = new Batcher<number>(async (rows) => {
      writes.push(rows);
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    }, 10);
    const first = group.add(1);
    const later = [group.add(2), group.add(3)];
    await Promise.resolve();
    expect(writes).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([[1], [2, 3]]);
  });

  it('caps a write at maxRows', async () => {
    const writes: number[][] = [];
    const group = new Batcher<number>((rows) => {
      writes.push(rows);
      return Promise.resolve();
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((row) => group.add(row)));
    expect(writes).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('rejects exactly the adds of a failed write, and goes on with the next ones', async () => {
    let fail = true;
    const group = new Batcher<number>(() => {
      if (fail) {
        fail = false;
        return Promise.reject(new Error('down'));
      }
      return Promise.resolve();
    }, 10);
    const failed = group.add(1);
    const next = group.add(2);
    await expect(failed).rejects.toThrow('down');
    await expect(next).resolves.toBeUndefined();
  });

  /** A batcher whose first run waits for `release`, so the adds made meanwhile form one batch. */
  function heldBatcher(run: (inputs: number[]) => Promise<number[]>) {
    const runs: number[][] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const batcher = new Batcher<number, number>(async (inputs) => {
      runs.push(inputs);
      if (runs.length === 1) await held;
      return run(inputs);
    }, 10);
    return { batcher, runs, release };
  }

  it('runs a failed batch again one input at a time: only the input that fails it rejects', async () => {
    const { batcher, runs, release } = heldBatcher((inputs) =>
      inputs.includes(3)
        ? Promise.reject(new Error('bad input 3'))
        : Promise.resolve(inputs.map((input) => input * 10)),
    );
    const adds = [1, 2, 3, 4].map((input) => batcher.add(input));
    release();
    expect(await Promise.allSettled(adds)).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'fulfilled', value: 20 },
      { status: 'rejected', reason: new Error('bad input 3') },
      { status: 'fulfilled', value: 40 },
    ]);
    expect(runs).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('fails a whole batch at once when the database is out of reach', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { batcher, runs, release } = heldBatcher((inputs) =>
      inputs.length > 1 ? Promise.reject(down) : Promise.resolve(inputs),
    );
    const adds = [1, 2, 3].map((input) => batcher.add(input));
    release();
    expect(await Promise.allSettled(adds)).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: down },
      { status: 'rejected', reason: down },
    ]);
    expect(runs).toEqual([[1], [2, 3]]);
  });

  it('answers each input with its own output', async () => {
    const batcher = new Batcher<number, number>(
      (inputs) => Promise.resolve(inputs.map((input) => input * 10)),
      10,
    );
    await expect(Promise.all([1, 2, 3].map((input) => batcher.add(input)))).resolves.toEqual([
      10, 20, 30,
    ]);
  });

  describe('lingering (lingerMs)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    function recording() {
      const runs: number[][] = [];
      const batcher = new Batcher<number, number>((inputs) => {
        runs.push(inputs);
        return Promise.resolve(inputs);
      }, 3);
      return { batcher, runs };
    }

    it('holds an idle batcher for the first lingering input, and sends what arrived by then together', async () => {
      const { batcher, runs } = recording();
      const adds = [batcher.add(1, 20)];
      await jest.advanceTimersByTimeAsync(10);
      adds.push(batcher.add(2, 20));
      await jest.advanceTimersByTimeAsync(9);
      expect(runs).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(runs).toEqual([[1, 2]]);
      await expect(Promise.all(adds)).resolves.toEqual([1, 2]);
    });

    it('sends at once when an input that may not wait arrives', async () => {
      const { batcher, runs } = recording();
      const adds = [batcher.add(1, 20), batcher.add(2)];
      await jest.advanceTimersByTimeAsync(0);
      expect(runs).toEqual([[1, 2]]);
      await expect(Promise.all(adds)).resolves.toEqual([1, 2]);
      await jest.advanceTimersByTimeAsync(20);
      expect(runs).toEqual([[1, 2]]);
    });

    it('sends at once when the batch is full', async () => {
      const { batcher, runs } = recording();
      const adds = [1, 2, 3].map((input) => batcher.add(input, 20));
      await jest.advanceTimersByTimeAsync(0);
      expect(runs).toEqual([[1, 2, 3]]);
      await expect(Promise.all(adds)).resolves.toEqual([1, 2, 3]);
    });
  });
});
