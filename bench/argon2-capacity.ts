import { argon2id, hash, verify } from 'argon2';
import { availableParallelism } from 'node:os';

/** argon2id verifications per second on this machine with the service's parameters and all cores busy. */
export async function argon2Capacity(seconds: number): Promise<number> {
  const options = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
  const digest = await hash('capacity-probe', options);
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: availableParallelism() }, async () => {
      while (Date.now() < deadline) {
        await verify(digest, 'capacity-probe');
        done++;
      }
    }),
  );
  return done / ((Date.now() - started) / 1000);
}
