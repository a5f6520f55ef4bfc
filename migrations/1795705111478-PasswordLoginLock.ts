import { MigrationInterface, QueryRunner } from 'typeorm';

export class PasswordLoginLock1795705111478 implements MigrationInterface {
  name = 'PasswordLoginLock1795705111478';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "users" ADD "failed_password_logins" integer NOT NULL DEFAULT '0'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "failed_password_logins"`);
  }
}
