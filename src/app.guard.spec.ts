import { ExecutionContext } from '@nestjs/common';
import { InOrderGuard, runInOrder } from './app.guard';

const context = {} as ExecutionContext;

function guard(name: string, answer: () => boolean | Promise<boolean>, calls: string[]) {
  return {
    canActivate: () => {
      calls.push(name);
      return answer();
    },
  } satisfies InOrderGuard;
}

describe('AppGuard: the global guards in order', () => {
  it('answers at once, with no promise, when every guard does', () => {
    const calls: string[] = [];
    const guards = ['who', 'may', 'budget'].map((name) => guard(name, () => true, calls));
    expect(runInOrder(guards, context)).toBe(true);
    expect(calls).toEqual(['who', 'may', 'budget']);
  });

  it('waits for a guard that answers later before asking the next', async () => {
    const calls: string[] = [];
    let open!: (allowed: boolean) => void;
    const guards = [
      guard('who', () => new Promise<boolean>((resolve) => (open = resolve)), calls),
      guard('may', () => true, calls),
    ];
    const answer = runInOrder(guards, context);
    expect(calls).toEqual(['who']);
    open(true);
    await expect(answer).resolves.toBe(true);
    expect(calls).toEqual(['who', 'may']);
  });

  const refusal = new Error('401');
  it.each([
    ['false', () => false, false],
    ['a promise of false', () => Promise.resolve(false), false],
    [
      'a throw',
      () => {
        throw refusal;
      },
      refusal,
    ],
    ['a rejection', () => Promise.reject(refusal), refusal],
  ])('stops at the first refusal: %s', async (_kind, refuse, outcome) => {
    const calls: string[] = [];
    const guards = [guard('who', refuse, calls), guard('may', () => true, calls)];
    const answer = (async () => runInOrder(guards, context))();
    if (outcome === false) await expect(answer).resolves.toBe(false);
    else await expect(answer).rejects.toBe(outcome);
    expect(calls).toEqual(['who']);
  });
});
