import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** `suppressed`: written only so that the request did the same work; never sent (MailService). */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dropped' | 'suppressed';

/** A mail written in the request that caused it and delivered later by the outbox worker. */
@Entity({ name: 'mail_outbox' })
// Partial (only rows still to send), written by hand in the NarrowDueIndexes migration.
@Index('mail_outbox_due_idx', { synchronize: false })
@Index('mail_outbox_created_at_idx', ['createdAt'])
export class OutboxMail {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  @Column({ type: 'varchar', length: 40 })
  template!: string;

  /** The language it was written in, so a retry speaks the same one (Content-Language). */
  @Column({ type: 'varchar', length: 10, default: 'en' })
  locale!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  /** Bodies are erased once an SMTP delivery succeeds or the mail is dropped: codes do not linger. */
  @Column({ name: 'text_body', type: 'text', nullable: true })
  textBody!: string | null;

  @Column({ name: 'html_body', type: 'text', nullable: true })
  htmlBody!: string | null;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: OutboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  /** A code mail that cannot leave before this moment is dropped, never sent stale. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
