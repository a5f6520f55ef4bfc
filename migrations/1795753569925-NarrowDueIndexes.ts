import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox and webhook-delivery workers look only for rows still to send; the due indexes now
 * hold only those. A row that is sent, suppressed, dropped, failed or delivered no longer adds
 * an index entry each time it changes state.
 */
export class NarrowDueIndexes1795753569925 implements MigrationInterface {
  name = 'NarrowDueIndexes1795753569925';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."mail_outbox_due_idx"`);
    await queryRunner.query(
      `CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox" ("next_attempt_at") WHERE status IN ('pending', 'sending')`,
    );
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_due_idx"`);
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("next_attempt_at") WHERE status IN ('pending', 'sending')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."webhook_deliveries_due_idx"`);
    await queryRunner.query(
      `CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("status", "next_attempt_at") `,
    );
    await queryRunner.query(`DROP INDEX "public"."mail_outbox_due_idx"`);
    await queryRunner.query(
      `CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox" ("status", "next_attempt_at") `,
    );
  }
}
