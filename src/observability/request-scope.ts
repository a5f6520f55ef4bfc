import { promiseHooks } from 'node:v8';

/**
 * What AsyncLocalStorage's `run` gives, carried by V8's promise hooks alone: code run inside
 * `runInScope(scope, fn)`, and every promise continuation it starts, sees `scope`.
 *
 * Why not AsyncLocalStorage: on Node.js 20 and 22 it turns on async_hooks, whose bookkeeping on
 * every promise cost about a third of the instructions of a `GET /api/health` (README,
 * "Logging's request scope"). The one thing it gives up: callbacks of timers, `process.nextTick`
 * and event emitters scheduled inside a scope run outside it. Promise continuations (every `await`
 * of a query, a cache call, a hash) keep it.
 */
const SCOPE = Symbol('requestScope');

type ScopedPromise = Promise<unknown> & { [SCOPE]?: unknown };

let current: unknown;
// The scopes around the promise jobs being run (a job may run inside another's `runInScope`).
const outer: unknown[] = [];
let users = 0;
let stopHooks: (() => void) | undefined;

/**
 * Turns the hooks on for one more user (an app's logger); the function it returns turns them off
 * after the last user lets go. Tests boot many apps in one process, each test file with its own
 * copy of this module: hooks left on would pile up, every set running for every promise.
 */
export function useRequestScopes(): () => void {
  if (users++ === 0) stopHooks = installHooks();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users > 0) return;
    stopHooks?.();
    stopHooks = undefined;
    current = undefined;
    outer.length = 0;
  };
}

function installHooks(): () => void {
  // Typed `Function` by @types/node; it is the hook set's stop function.
  return promiseHooks.createHook({
    init(promise) {
      if (current !== undefined) (promise as ScopedPromise)[SCOPE] = current;
    },
    before(promise) {
      outer.push(current);
      current = (promise as ScopedPromise)[SCOPE];
    },
    after() {
      current = outer.pop();
    },
  }) as () => void;
}

/** Runs `fn` in `scope`; without a user of the hooks, only its synchronous part sees it. */
export function runInScope<R>(scope: object, fn: () => R): R {
  const previous = current;
  current = scope;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** The scope the running code is in, or undefined outside any. */
export function currentScope<T extends object>(): T | undefined {
  return current as T | undefined;
}
