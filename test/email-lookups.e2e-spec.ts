import { DataSource } from 'typeorm';
import { emailMatches, User } from '../src/users/entities/user.entity';
import { SELECT_SIGN_IN_ACCOUNT } from '../src/users/sign-in-accounts.service';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Every sign-in, code request, registration and password reset looks an account up by email.
 * With many accounts those lookups must go through the unique index, never scan the table.
 */
describe('looking accounts up by email', () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    await db.query(
      `INSERT INTO users (email) SELECT 'member' || g || '@example.com' FROM generate_series(1, 20000) g`,
    );
    await db.query('ANALYZE users');
  });
  afterAll(async () => {
    await t.close();
  });

  async function plan(sql: string, parameters: unknown[]): Promise<string> {
    const rows = await db.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`, parameters);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  }

  it('uses the unique index for the sign-in lookup', async () => {
    const text = await plan(SELECT_SIGN_IN_ACCOUNT, ['member777@example.com']);
    expect(text).toContain('users_email_lower_key');
    expect(text).not.toContain('Seq Scan');
    const [account] = await db.query<{ id: string; canSignIn: boolean }[]>(SELECT_SIGN_IN_ACCOUNT, [
      'member777@example.com',
    ]);
    expect(account).toMatchObject({ canSignIn: true, passwordHash: null, fullName: '' });
  });

  it('uses the unique index for lookups through the query builder', async () => {
    const [sql, parameters] = db
      .getRepository(User)
      .createQueryBuilder('u')
      .withDeleted()
      .where(emailMatches('u.email', ':email'), { email: 'member777@example.com' })
      .getQueryAndParameters();
    const text = await plan(sql, parameters);
    expect(text).toContain('users_email_lower_key');
    expect(text).not.toContain('Seq Scan');
  });
});
