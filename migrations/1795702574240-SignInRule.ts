import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One sign-in rule: a deleted account is never active, so `is_active` alone answers "may this
 * account sign in"; and each session carries its user's admin rights, so a request needs only the
 * session row. Hand-edited after generation: the UPDATEs bring existing rows in line first.
 */
export class SignInRule1795702574240 implements MigrationInterface {
  name = 'SignInRule1795702574240';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "is_staff" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `UPDATE "sessions" s SET "is_staff" = u."is_staff" FROM "users" u WHERE u."id" = s."user_id"`,
    );
    await queryRunner.query(
      `UPDATE "users" SET "is_active" = false WHERE "deleted_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `UPDATE "sessions" SET "revoked_at" = now(), "revoked_reason" = 'deactivated'
       WHERE "revoked_at" IS NULL
         AND "user_id" IN (SELECT "id" FROM "users" WHERE NOT "is_active")`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "users_deleted_inactive_check" CHECK (deleted_at IS NULL OR NOT is_active)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "users_deleted_inactive_check"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "is_staff"`);
  }
}
