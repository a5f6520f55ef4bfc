import { Column, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One row per security-relevant action (API.md "Audit log"). Append-only: no route updates or
 * deletes a row; only the retention job removes old ones. Never a code, password, token, key,
 * hash or mail body; an unknown email shows only as `metadata.email_hash` (keyed).
 */
@Entity({ name: 'audit_events' })
// Every index is paid by every insert, so the table keeps only what the queries need: rows without
// an actor or target (most failures, a code sent to an unknown email) add no entry for it.
@Index('audit_events_actor_seq_idx', ['actorId', 'seq'], { where: 'actor_id IS NOT NULL' })
@Index('audit_events_target_seq_idx', ['targetId', 'seq'], { where: 'target_id IS NOT NULL' })
@Index('audit_events_action_seq_idx', ['action', 'seq'])
// BRIN on occurred_at (the retention job and the from/to filters): rows arrive in time order.
@Index('audit_events_occurred_at_idx', { synchronize: false })
export class AuditEvent {
  /** Insertion order: the key, and the cursor of every listing (no clock ties, no precision lost). */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq!: string;

  /** The event's public id; nothing looks a row up by it, so it has no index. */
  @Column({ type: 'uuid' })
  @Generated('uuid')
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ type: 'varchar', length: 10 })
  outcome!: string;

  @Column({ name: 'actor_type', type: 'varchar', length: 10 })
  actorType!: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'target_type', type: 'varchar', length: 20, nullable: true })
  targetType!: string | null;

  // A user, session, API key or webhook id (uuid), or a signing key's kid (a thumbprint).
  @Column({ name: 'target_id', type: 'varchar', length: 64, nullable: true })
  targetId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true })
  userAgent!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true })
  requestId!: string | null;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata!: Record<string, unknown>;
}
