import {
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

/** A signed-in device: opened by a login or confirmation, ended by logout, expiry or revocation. */
@Entity({ name: 'sessions' })
@Index('sessions_user_id_idx', ['userId'])
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  // Named, not imported: the users module owns that table, sessions only point at its rows.
  @Column({ name: 'user_id', type: 'uuid' })
  @ForeignKey('User', { onDelete: 'CASCADE' })
  userId!: string;

  /**
   * The user's admin rights when the session opened. Every change of them ends the user's
   * sessions, as does everything that stops an account signing in, so the session row alone
   * answers "who is this and are they still allowed in" on every request.
   */
  @Column({ name: 'is_staff', type: 'boolean', default: false })
  isStaff!: boolean;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  /** The IPv4 /24 or IPv6 /48 the session was opened from (new sign-in notice). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  network!: string | null;

  /** The browser family the session was opened with (new sign-in notice); null before it was kept. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  browser!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt!: Date;

  /** Moves forward with every refresh, never past the absolute limit. */
  @Column({ name: 'idle_expires_at', type: 'timestamptz' })
  idleExpiresAt!: Date;

  @Column({ name: 'absolute_expires_at', type: 'timestamptz' })
  absoluteExpiresAt!: Date;

  /** When the current refresh token replaced the previous one (the reuse grace window starts here). */
  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 40, nullable: true })
  revokedReason!: string | null;
}
