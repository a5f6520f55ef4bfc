/**
 * Migration commands that work on embedded PGlite as well as on PostgreSQL:
 *   generate <Name>   write migrations/<timestamp>-<Name>.ts from the entity/schema difference
 *   run | revert      apply pending migrations / undo the last one
 *   check             exit 1 when entities and migrations drift apart
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfiguration } from '../src/config/configuration';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrationsOnStart } from '../src/database/run-migrations';

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const { database } = loadConfiguration();
  const embedded = database.url ? null : await startEmbeddedPostgres(database.embeddedDir);
  const dataSource = new DataSource(
    buildDataSourceOptions(database.url ?? embedded!.url, !!embedded),
  );
  await dataSource.initialize();
  try {
    switch (command) {
      case 'run':
        // The very function the service runs at start: one transaction behind the same advisory lock.
        await runMigrationsOnStart(dataSource, { embedded: !!embedded });
        break;
      case 'revert':
        await dataSource.undoLastMigration({ transaction: 'each' });
        break;
      case 'generate':
        await generate(dataSource, name);
        break;
      case 'check':
        await check(dataSource);
        break;
      default:
        throw new Error('usage: migrations.ts generate <Name> | run | revert | check');
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

async function pendingSchemaChanges(dataSource: DataSource) {
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource.driver.createSchemaBuilder().log();
}

async function check(dataSource: DataSource): Promise<void> {
  const { upQueries } = await pendingSchemaChanges(dataSource);
  if (upQueries.length === 0) {
    console.log('entities and migrations agree');
    return;
  }
  console.error('entities and migrations drift; run `npm run migration:generate -- <Name>`:');
  for (const query of upQueries) console.error(`  ${query.query}`);
  process.exitCode = 1;
}

async function generate(dataSource: DataSource, name: string | undefined): Promise<void> {
  if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name))
    throw new Error('give the migration a PascalCase name');
  const { upQueries, downQueries } = await pendingSchemaChanges(dataSource);
  if (upQueries.length === 0) {
    console.log('no changes: entities and migrations agree');
    return;
  }
  const timestamp = Date.now();
  const literal = (sql: string) =>
    '`' + sql.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${') + '`';
  const statement = (q: { query: string; parameters?: unknown[] }) =>
    `    await queryRunner.query(${literal(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`;
  const body = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${upQueries.map(statement).join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${downQueries.reverse().map(statement).join('\n')}
  }
}
`;
  const file = join(__dirname, '..', 'migrations', `${timestamp}-${name}.ts`);
  writeFileSync(file, body);
  console.log(`wrote ${file}; review it, then run prettier`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
