import { setTimeout as sleep } from 'node:timers/promises';
import { currentScope, runInScope, useRequestScopes } from './request-scope';

interface Scope {
  id: string;
}

const idNow = (): string | undefined => currentScope<Scope>()?.id;

async function idsAcrossAwaits(): Promise<(string | undefined)[]> {
  const seen = [idNow()];
  await Promise.resolve();
  seen.push(idNow());
  await sleep(5);
  seen.push(idNow());
  await Promise.all([sleep(1), Promise.resolve()]);
  seen.push(idNow());
  return seen;
}

describe('request scope', () => {
  let release: () => void;
  beforeAll(() => (release = useRequestScopes()));
  afterAll(() => release());

  it('is seen by the code run in it and by everything it awaits', async () => {
    const seen = await runInScope({ id: 'a' }, idsAcrossAwaits);
    expect(seen).toEqual(['a', 'a', 'a', 'a']);
  });

  it('ends with the call: code after it, and after its promise, sees none', async () => {
    const running = runInScope({ id: 'a' }, idsAcrossAwaits);
    expect(idNow()).toBeUndefined();
    await running;
    expect(idNow()).toBeUndefined();
  });

  it('keeps two requests apart while their awaits interleave', async () => {
    const [a, b] = await Promise.all([
      runInScope({ id: 'a' }, idsAcrossAwaits),
      runInScope({ id: 'b' }, idsAcrossAwaits),
    ]);
    expect(a).toEqual(['a', 'a', 'a', 'a']);
    expect(b).toEqual(['b', 'b', 'b', 'b']);
  });

  it('gives a continuation the scope it was awaited in, not the one that resolved it', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const outside = gate.then(idNow);
    const inside = runInScope({ id: 'waiter' }, () => gate.then(idNow));
    runInScope({ id: 'resolver' }, open);
    expect(await outside).toBeUndefined();
    expect(await inside).toBe('waiter');
  });

  it('restores the outer scope when an inner one ends, also by a throw', () => {
    runInScope({ id: 'outer' }, () => {
      expect(() =>
        runInScope({ id: 'inner' }, () => {
          expect(idNow()).toBe('inner');
          throw new Error('refused');
        }),
      ).toThrow('refused');
      expect(idNow()).toBe('outer');
    });
    expect(idNow()).toBeUndefined();
  });

  it('does not follow a timer callback scheduled in it (the documented limit)', async () => {
    const fromTimer = await runInScope(
      { id: 'a' },
      () => new Promise<string | undefined>((resolve) => setTimeout(() => resolve(idNow()), 1)),
    );
    expect(fromTimer).toBeUndefined();
  });

  it('turns its hooks off after the last user lets go', async () => {
    const second = useRequestScopes();
    second();
    second();
    expect(await runInScope({ id: 'still' }, idsAcrossAwaits)).toEqual([
      'still',
      'still',
      'still',
      'still',
    ]);
    release();
    expect(await runInScope({ id: 'off' }, idsAcrossAwaits)).toEqual([
      'off',
      undefined,
      undefined,
      undefined,
    ]);
    release = useRequestScopes();
  });
});
