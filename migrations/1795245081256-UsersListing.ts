import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes behind the admin user listing (see docs/users-listing.md for the plans at a million
 * users). All but the first are hand-written: TypeORM cannot describe expression, partial or GIN
 * indexes, so the entity marks them `synchronize: false`.
 */
export class UsersListing1795245081256 implements MigrationInterface {
  name = 'UsersListing1795245081256';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "users_full_name_id_idx" ON "users"  ("full_name", "id") `,
    );
    // `ordering=last_login` / `-last_login`: never signed in counts as the oldest, and the id
    // tie-breaker keeps the (large) group of those in index order too.
    await queryRunner.query(
      `CREATE INDEX "users_last_login_id_idx" ON "users" ("last_login" NULLS FIRST, "id")`,
    );
    // Admins and inactive/deleted users are few: small partial indexes keep their lists and
    // counts (and the last-admin check) from scanning everyone.
    await queryRunner.query(
      `CREATE INDEX "users_staff_created_at_idx" ON "users" ("created_at") WHERE "is_staff"`,
    );
    await queryRunner.query(
      `CREATE INDEX "users_inactive_created_at_idx" ON "users" ("created_at") WHERE NOT "is_active" OR "deleted_at" IS NOT NULL`,
    );
    // Substring search (`search=`) on email, name and mobile. pg_trgm is a trusted extension
    // (PostgreSQL 13+: the database owner may create it); PGlite loads it at start.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "users_email_trgm_idx" ON "users" USING gin (lower("email") gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "users_full_name_trgm_idx" ON "users" USING gin (lower("full_name") gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "users_mobile_trgm_idx" ON "users" USING gin ("mobile" gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."users_mobile_trgm_idx"`);
    await queryRunner.query(`DROP INDEX "public"."users_full_name_trgm_idx"`);
    await queryRunner.query(`DROP INDEX "public"."users_email_trgm_idx"`);
    // The extension stays: other objects may have come to depend on it.
    await queryRunner.query(`DROP INDEX "public"."users_inactive_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."users_staff_created_at_idx"`);
    await queryRunner.query(`DROP INDEX "public"."users_last_login_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."users_full_name_id_idx"`);
  }
}
