import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLogAndBans1795736571978 implements MigrationInterface {
  name = 'AuditLogAndBans1795736571978';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "action" character varying(40) NOT NULL, "outcome" character varying(10) NOT NULL, "actor_type" character varying(10) NOT NULL, "actor_id" uuid, "target_type" character varying(20), "target_id" character varying(64), "ip" character varying(64), "user_agent" character varying(255), "request_id" character varying(100), "session_id" uuid, "metadata" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events"  ("occurred_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_action_seq_idx" ON "audit_events"  ("action", "seq") `,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_target_seq_idx" ON "audit_events"  ("target_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_events_actor_seq_idx" ON "audit_events"  ("actor_id", "seq") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "audit_events_seq_idx" ON "audit_events"  ("seq") `,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD "banned_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "users" ADD "ban_reason" character varying(500)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "ban_reason"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "banned_until"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_seq_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_actor_seq_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_target_seq_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_action_seq_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_events_occurred_at_idx"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
