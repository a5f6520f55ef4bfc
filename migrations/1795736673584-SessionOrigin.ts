import { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionOrigin1795736673584 implements MigrationInterface {
  name = 'SessionOrigin1795736673584';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "network" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "browser" character varying(40)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "browser"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "network"`);
  }
}
