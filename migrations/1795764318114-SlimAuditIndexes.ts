import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every audit row paid for six index entries, two of them at random places (the uuid key and
 * occurred_at's b-tree). Now `seq` is the key (appended at the right end), occurred_at has a
 * BRIN index (rows arrive in time order; a few pages of summary), and the actor and target
 * indexes hold only rows that have one. The `id` column stays, unindexed: nothing looks it up.
 */
export class SlimAuditIndexes1795764318114 implements MigrationInterface {
  name = 'SlimAuditIndexes1795764318114';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407"`,
    );
    await queryRunner.query(`DROP INDEX "public"."audit_events_seq_idx"`);
    await queryRunner.query(
      `ALTER TABLE "audit_events" ADD CONSTRAINT "PK_6e299f5706e715265416fefe53e" PRIMARY KEY ("seq")`,
    );
    await queryRunner.query(`DROP INDEX "public"."audit_events_occurred_at_idx"`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" USING brin ("occurred_at")`,
    );
    await queryRunner.query(`DROP INDEX "public"."audit_events_target_seq_idx"`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_target_seq_idx" ON "audit_events" ("target_id", "seq") WHERE target_id IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."audit_events_actor_seq_idx"`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_actor_seq_idx" ON "audit_events" ("actor_id", "seq") WHERE actor_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_events_actor_seq_idx"`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_actor_seq_idx" ON "audit_events" ("actor_id", "seq")`,
    );
    await queryRunner.query(`DROP INDEX "public"."audit_events_target_seq_idx"`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_target_seq_idx" ON "audit_events" ("target_id", "seq")`,
    );
    await queryRunner.query(`DROP INDEX "public"."audit_events_occurred_at_idx"`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" ("occurred_at")`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_events" DROP CONSTRAINT "PK_6e299f5706e715265416fefe53e"`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "audit_events_seq_idx" ON "audit_events" ("seq")`);
    await queryRunner.query(
      `ALTER TABLE "audit_events" ADD CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id")`,
    );
  }
}
