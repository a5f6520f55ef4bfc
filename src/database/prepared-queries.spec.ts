import { Logger } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../test/support/database';
import { TcpProxy } from '../../test/support/tcp-proxy';
import { buildDataSourceOptions } from './data-source-options';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { PreparedQueries } from './prepared-queries';
import { isUniqueViolation } from './unique-violation';

/**
 * PreparedQueries over a real database (PGlite, or a throwaway database on DATABASE_URL's server)
 * through a pool of one connection, so every call sees the statements the previous ones left.
 */
describe('PreparedQueries', () => {
  let database: TestDatabase;
  let embedded: EmbeddedPostgres | undefined;
  let dataSource: DataSource;

  const preparedNames = async (prepared: PreparedQueries) =>
    (
      await prepared.query<{ name: string }>(
        `SELECT name FROM pg_prepared_statements WHERE name LIKE 'mg\\_%' ORDER BY name`,
        [],
      )
    ).map((row) => row.name);

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    database = await createTestDatabase('unit');
    const serverUrl = database.env.DATABASE_URL;
    if (!serverUrl) embedded = await startEmbeddedPostgres(database.env.DATA_DIR);
    dataSource = await new DataSource(
      buildDataSourceOptions(serverUrl ?? embedded!.url, !serverUrl, 1),
    ).initialize();
    await dataSource.query('CREATE TABLE prepared_spec (id int PRIMARY KEY, note text)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await embedded?.stop();
    await database?.drop();
  });

  beforeEach(() => dataSource.query('DEALLOCATE ALL'));

  it('prepares a text once per connection and answers each call with its own values', async () => {
    const prepared = new PreparedQueries(dataSource);
    const text = 'SELECT $1::int * 2 AS doubled';
    expect(await prepared.query(text, [2])).toEqual([{ doubled: 4 }]);
    expect(await prepared.query(text, [21])).toEqual([{ doubled: 42 }]);
    // The lookup itself is prepared too: two names, one per text.
    expect(await preparedNames(prepared)).toHaveLength(2);
  });

  it('sends a statement again unnamed when its name is gone from the connection, then stops naming', async () => {
    const prepared = new PreparedQueries(dataSource);
    const text = 'SELECT $1::text AS echoed';
    await prepared.query(text, ['first']);
    // What a transaction pooler does: the next call lands on a connection without the statement.
    await dataSource.query('DEALLOCATE ALL');
    expect(await prepared.query(text, ['second'])).toEqual([{ echoed: 'second' }]);
    expect(await preparedNames(prepared)).toEqual([]);
  });

  // What a database restart or failover looks like from here: the connection a call has borrowed
  // is cut with no word from the server. PostgreSQL only (PGlite answers in this very process).
  (process.env.DATABASE_URL ? it : it.skip)(
    'a connection cut during a statement fails that call only: no unhandled error, and the pool goes on',
    async () => {
      const target = new URL(database.env.DATABASE_URL);
      const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
      await proxy.start();
      const cut = await new DataSource(
        buildDataSourceOptions(proxy.url(database.env.DATABASE_URL), false, 1),
      ).initialize();
      try {
        const prepared = new PreparedQueries(cut);
        const sleeping = prepared.query('SELECT pg_sleep(10)', []).catch((error: unknown) => error);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await proxy.stop();
        expect(await sleeping).toBeInstanceOf(QueryFailedError);
        await proxy.start();
        expect(await prepared.query('SELECT 1 AS one', [])).toEqual([{ one: 1 }]);
      } finally {
        await cut.destroy();
        await proxy.stop();
      }
    },
  );

  it('fails as TypeORM queries fail, so a unique violation is still recognised', async () => {
    const prepared = new PreparedQueries(dataSource);
    const insert = 'INSERT INTO prepared_spec (id, note) VALUES ($1, $2)';
    await prepared.query(insert, [1, 'one']);
    const error: unknown = await prepared.query(insert, [1, 'again']).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    const rows = await prepared.query('SELECT id, note FROM prepared_spec', []);
    expect(rows).toEqual([{ id: 1, note: 'one' }]);
  });
});
