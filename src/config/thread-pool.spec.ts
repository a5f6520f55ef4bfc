import { availableParallelism } from 'node:os';

describe('thread pool size', () => {
  const saved = process.env.UV_THREADPOOL_SIZE;
  afterEach(() => {
    if (saved === undefined) delete process.env.UV_THREADPOOL_SIZE;
    else process.env.UV_THREADPOOL_SIZE = saved;
  });

  function loadModule(): void {
    jest.isolateModules(() => {
      jest.requireActual('./thread-pool');
    });
  }

  it('defaults to one thread per core', () => {
    delete process.env.UV_THREADPOOL_SIZE;
    loadModule();
    expect(process.env.UV_THREADPOOL_SIZE).toBe(String(availableParallelism()));
  });

  it("keeps the operator's choice", () => {
    process.env.UV_THREADPOOL_SIZE = '7';
    loadModule();
    expect(process.env.UV_THREADPOOL_SIZE).toBe('7');
  });
});
