import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { Webhook } from './webhook.entity';

/**
 * `pending`: waiting for its turn or its next retry; `sending`: claimed by a worker (a lease, taken
 * again if that instance dies); `succeeded`; `failed`: retries spent or the endpoint answered 410;
 * `cancelled`: the endpoint was disabled or deleted before it left.
 */
export type DeliveryStatus = 'pending' | 'sending' | 'succeeded' | 'failed' | 'cancelled';

/**
 * One event for one endpoint, written in the transaction of the change (the outbox). Its id is the
 * `webhook-id` of every attempt; `body` is the exact JSON sent, so retries sign the same bytes.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('webhook_deliveries_queue_idx', ['webhookId', 'seq'])
// Partial (only rows still to send), written by hand in the NarrowDueIndexes migration.
@Index('webhook_deliveries_due_idx', { synchronize: false })
export class WebhookDelivery {
  /** `msg_` + random: the Standard Webhooks message id. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  /** Creation order: each endpoint receives its events in this order. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId!: string;

  @ManyToOne(() => Webhook, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id' })
  webhook?: Webhook;

  @Column({ type: 'varchar', length: 60 })
  type!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'response_code', type: 'int', nullable: true })
  responseCode!: number | null;

  @Column({ name: 'duration_ms', type: 'int', nullable: true })
  durationMs!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}
