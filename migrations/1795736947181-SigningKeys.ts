import { MigrationInterface, QueryRunner } from 'typeorm';

export class SigningKeys1795736947181 implements MigrationInterface {
  name = 'SigningKeys1795736947181';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "signing_keys" ("kid" character varying(64) NOT NULL, "alg" character varying(8) NOT NULL, "status" character varying(16) NOT NULL, "public_jwk" jsonb NOT NULL, "private_key_encrypted" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "activated_at" TIMESTAMP WITH TIME ZONE, "retired_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_13362ac3e792c69417e1a53d355" PRIMARY KEY ("kid"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "signing_keys_one_active" ON "signing_keys"  ("status") WHERE status = 'active'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."signing_keys_one_active"`);
    await queryRunner.query(`DROP TABLE "signing_keys"`);
  }
}
