import { MigrationInterface, QueryRunner } from 'typeorm';

/** The language of a user's mails, and the one each outbox mail was written in. */
export class MailLocales1795736921905 implements MigrationInterface {
  name = 'MailLocales1795736921905';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "locale" character varying(10)`);
    await queryRunner.query(
      `ALTER TABLE "mail_outbox" ADD "locale" character varying(10) NOT NULL DEFAULT 'en'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP COLUMN "locale"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "locale"`);
  }
}
