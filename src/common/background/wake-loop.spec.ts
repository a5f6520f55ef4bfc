import { WakeLoop } from './wake-loop';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WakeLoop', () => {
  it('never runs two rounds at once, and wakes during a round run exactly one more', async () => {
    const gates = [deferred(), deferred()];
    let rounds = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const loop = new WakeLoop(async () => {
      const gate = gates[rounds++];
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await gate?.promise;
      concurrent--;
    }, 60_000);
    loop.wake();
    loop.wake();
    loop.wake();
    expect(rounds).toBe(1);
    gates[0].resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(rounds).toBe(2);
    gates[1].resolve();
    await loop.stop();
    expect(rounds).toBe(2);
    expect(maxConcurrent).toBe(1);
  });

  it('stop waits for the round in progress and refuses new ones', async () => {
    const gate = deferred();
    let finished = false;
    let rounds = 0;
    const loop = new WakeLoop(async () => {
      rounds++;
      await gate.promise;
      finished = true;
    }, 60_000);
    loop.wake();
    const stopped = loop.stop();
    expect(loop.isStopped).toBe(true);
    loop.wake();
    gate.resolve();
    await stopped;
    expect(finished).toBe(true);
    expect(rounds).toBe(1);
  });
});
