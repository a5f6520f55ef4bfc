import { Injectable, Logger } from '@nestjs/common';
import { AtomicStore } from '../cache/atomic-store';

/** How long a read user object is served from the cache; it bounds the damage of a lost mark. */
const CACHED_TTL_MS = 10_000;
/** How long a change keeps the cache out of the way; longer than any read-then-cache below. */
const CHANGED_TTL_MS = 10_000;
/** A read slower than this is answered but not cached: a change may have marked and expired meanwhile. */
const MAX_READ_MS = 2_000;
const CHANGED = 'changed';

/**
 * Recent user objects in the shared cache, so `GET /api/users/me` (the hottest authenticated
 * read) costs one cache round trip instead of a database one. The database stays the truth: every
 * change of a users row calls `changed()` after its commit and before its answer, which leaves a
 * mark that no concurrent reader can overwrite (set-if-absent), so a read that raced the change
 * is answered but never cached. A lost cache only costs speed.
 */
@Injectable()
export class UserCacheService {
  private readonly logger = new Logger(UserCacheService.name);

  constructor(private readonly store: AtomicStore) {}

  async read<T extends object>(id: string, load: () => Promise<T | null>): Promise<T | null> {
    const cached = await this.store.get(this.key(id)).catch(() => null);
    if (cached !== null && cached !== CHANGED) return JSON.parse(cached) as T;
    const started = Date.now();
    const value = await load();
    if (value && cached === null && Date.now() - started < MAX_READ_MS)
      await this.store
        .setIfAbsent(this.key(id), CACHED_TTL_MS, JSON.stringify(value))
        .catch(() => 0);
    return value;
  }

  /** After the commit of any change of these users' rows, before answering the request. */
  async changed(...ids: string[]): Promise<void> {
    try {
      await Promise.all(ids.map((id) => this.store.set(this.key(id), CHANGED, CHANGED_TTL_MS)));
    } catch (error) {
      // The change is committed; a cached object outlives it by CACHED_TTL_MS at most.
      this.logger.warn(`Could not mark a user changed in the cache: ${String(error)}`);
    }
  }

  private key(id: string): string {
    return `user:${id}`;
  }
}
