import { Injectable, OnModuleInit } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';
import { availableParallelism } from 'node:os';

// OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane. The benchmark measures against these.
export const ARGON2_OPTIONS = {
  type: argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * argon2id hashing; verifying against a dummy hash makes every failed login cost the same.
 * At most one computation per core runs at once: more would not be faster, only hold another
 * 19 MiB each and starve the event loop's other work of the thread pool.
 */
@Injectable()
export class PasswordHasherService implements OnModuleInit {
  private dummyHash = '';
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly slots = availableParallelism();
  /** How long one computation takes once it has a core (a moving average). */
  private computationMs = 0;

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.limited(() => hash('mailguard-dummy-password', ARGON2_OPTIONS));
  }

  hash(password: string): Promise<string> {
    return this.limited(() => hash(password, ARGON2_OPTIONS));
  }

  /** Always spends one verification, also when there is no hash to check against. */
  async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
    try {
      const matches = await this.limited(() => verify(passwordHash ?? this.dummyHash, password));
      return matches && !!passwordHash;
    } catch {
      return false;
    }
  }

  /** How long a computation asked for now would wait for a core: 0 while one is free. */
  get backlogMs(): number {
    return (this.waiting.length / this.slots) * this.computationMs;
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    // A finishing computation hands its slot straight to the next waiter.
    if (this.running >= this.slots)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    const started = performance.now();
    try {
      return await work();
    } finally {
      const tookMs = performance.now() - started;
      this.computationMs += this.computationMs ? (tookMs - this.computationMs) / 8 : tookMs;
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
