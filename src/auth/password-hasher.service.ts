import { Injectable, OnModuleInit } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';

// OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** argon2id hashing; verifying against a dummy hash makes every failed login cost the same. */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hash('mailguard-dummy-password', OPTIONS);
  }

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  /** Always spends one verification, also when there is no hash to check against. */
  async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
    try {
      const matches = await verify(passwordHash ?? this.dummyHash, password);
      return matches && !!passwordHash;
    } catch {
      return false;
    }
  }
}
