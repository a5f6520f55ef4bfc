import { Injectable } from '@nestjs/common';
import { AtomicStore } from '../cache/atomic-store';
import { PreparedQueries } from '../database/prepared-queries';

const LIVE_TTL_MS = 30_000;
// Longer than any read-then-cache round trip, so a late "live" write can never cover a revocation.
const REVOKED_TTL_MS = 10 * 60_000;
const REVOKED = 'revoked';

export interface LiveSession {
  userId: string;
  isStaff: boolean;
}

/**
 * Answers "is this session live?" for every authenticated request. The database is the truth; the
 * shared cache only remembers recent answers. Revocations write a tombstone that a concurrent
 * "live" answer cannot overwrite (set-if-absent), and a lost cache just means asking the database.
 */
@Injectable()
export class SessionStatusService {
  constructor(
    private readonly store: AtomicStore,
    private readonly prepared: PreparedQueries,
  ) {}

  async check(sessionId: string): Promise<LiveSession | null> {
    const cached = await this.store.get(this.key(sessionId)).catch(() => null);
    if (cached === REVOKED) return null;
    if (cached) return JSON.parse(cached) as LiveSession;
    const live = await this.readDatabase(sessionId);
    // Cache failures only cost speed: the answer above came from the database.
    if (live)
      await this.store
        .setIfAbsent(this.key(sessionId), LIVE_TTL_MS, JSON.stringify(live))
        .catch(() => 0);
    else await this.store.set(this.key(sessionId), REVOKED, REVOKED_TTL_MS).catch(() => undefined);
    return live;
  }

  private async readDatabase(sessionId: string): Promise<LiveSession | null> {
    // The session row alone: everything that stops an account signing in, and every change of
    // its admin rights, revokes its sessions in the same transaction.
    const rows = await this.prepared.query<{ user_id: string; is_staff: boolean }>(
      `SELECT user_id, is_staff FROM sessions
       WHERE id = $1 AND revoked_at IS NULL AND absolute_expires_at > now()`,
      [sessionId],
    );
    return rows.length === 0 ? null : { userId: rows[0].user_id, isStaff: rows[0].is_staff };
  }

  /** Call after the database says revoked: every instance refuses the session from now on. */
  async markRevoked(sessionIds: string[]): Promise<void> {
    await Promise.all(
      sessionIds.map((id) => this.store.set(this.key(id), REVOKED, REVOKED_TTL_MS)),
    );
  }

  private key(sessionId: string): string {
    return `session:${sessionId}`;
  }
}
