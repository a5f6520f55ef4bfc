import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795244145535 implements MigrationInterface {
  name = 'Init1795244145535';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "email" character varying(254) NOT NULL,
        "full_name" character varying(150) NOT NULL DEFAULT '',
        "mobile" character varying(20),
        "gender" character varying(20),
        "dob" date,
        "address" character varying(255),
        "city" character varying(100),
        "state" character varying(100),
        "country" character varying(100),
        "pincode" character varying(12),
        "password_hash" text,
        "is_active" boolean NOT NULL DEFAULT true,
        "is_staff" boolean NOT NULL DEFAULT false,
        "is_verified" boolean NOT NULL DEFAULT false,
        "last_login" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "deleted_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE INDEX "users_created_at_idx" ON "users" ("created_at")`);
    // Emails are stored canonical; the lower() index also guards rows written by hand.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "users_email_lower_key" ON "users" (lower("email"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."users_email_lower_key"`);
    await queryRunner.query(`DROP INDEX "public"."users_created_at_idx"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
