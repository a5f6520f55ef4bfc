import { availableParallelism } from 'node:os';
import { PasswordHasherService } from './password-hasher.service';

describe('PasswordHasherService', () => {
  const cores = availableParallelism();
  let hasher: PasswordHasherService;
  let digest: string;

  beforeAll(async () => {
    hasher = new PasswordHasherService();
    await hasher.onModuleInit();
    digest = await hasher.hash('right horse battery staple');
  });

  it('has no backlog while a core is free', async () => {
    expect(hasher.backlogMs).toBe(0);
    const alone = hasher.verify(digest, 'right horse battery staple');
    expect(hasher.backlogMs).toBe(0);
    await expect(alone).resolves.toBe(true);
  });

  it('reports the wait for a core in computations of the measured length, and none once drained', async () => {
    const all = Array.from({ length: cores * 3 }, (_, i) =>
      hasher.verify(digest, i % 2 ? 'right horse battery staple' : 'wrong'),
    );
    // cores run, 2 × cores wait: a new one would wait two computations.
    const backlog = hasher.backlogMs;
    expect(backlog).toBeGreaterThan(0);
    const sample = performance.now();
    await hasher.verify(digest, 'wrong');
    const oneWithItsWait = performance.now() - sample;
    // Two computations' wait, then its own: the estimate is about two thirds of what it took.
    expect(backlog).toBeLessThan(oneWithItsWait);
    expect(await Promise.all(all)).toEqual(all.map((_, i) => i % 2 === 1));
    expect(hasher.backlogMs).toBe(0);
  });

  it('refuses a missing or malformed hash', async () => {
    await expect(hasher.verify(null, 'anything')).resolves.toBe(false);
    await expect(hasher.verify('not-a-hash', 'anything')).resolves.toBe(false);
  });
});
