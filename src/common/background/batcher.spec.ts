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

  it('answers each input with its own output', async () => {
    const batcher = new Batcher<number, number>(
      (inputs) => Promise.resolve(inputs.map((input) => input * 10)),
      10,
    );
    await expect(Promise.all([1, 2, 3].map((input) => batcher.add(input)))).resolves.toEqual([
      10, 20, 30,
    ]);
  });
});
