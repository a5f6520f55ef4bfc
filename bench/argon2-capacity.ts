import { hash, verify } from 'argon2';
import { availableParallelism } from 'node:os';
import { ARGON2_OPTIONS } from '../src/auth/password-hasher.service';

/** argon2id verifications per second on this machine with the service's parameters and all cores busy. */
export async function argon2Capacity(seconds: number): Promise<number> {
  const digest = await hash('capacity-probe', ARGON2_OPTIONS);
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
