import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { databaseConfig, DatabaseConfig } from './database.config';
import { AppDataSourceOptions, buildDataSourceOptions } from './data-source-options';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { PreparedQueries } from './prepared-queries';
import { runMigrationsOnStart } from './run-migrations';

const EMBEDDED_POSTGRES = Symbol('EMBEDDED_POSTGRES');

/** Starts PGlite when no DATABASE_URL is given, and stops it only after the pool has closed. */
class EmbeddedPostgresLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EMBEDDED_POSTGRES) private readonly embedded: EmbeddedPostgres | null,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded.stop();
  }
}

@Module({
  providers: [
    {
      provide: EMBEDDED_POSTGRES,
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig) =>
        config.url ? null : startEmbeddedPostgres(config.embeddedDir),
    },
  ],
  exports: [EMBEDDED_POSTGRES],
})
class EmbeddedPostgresModule {}

/** Global, like TypeORM's DataSource: every feature may run its hot statements prepared. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedPostgresModule],
      inject: [databaseConfig.KEY, EMBEDDED_POSTGRES],
      useFactory: (config: DatabaseConfig, embedded: EmbeddedPostgres | null) =>
        buildDataSourceOptions(config.url ?? embedded!.url, embedded !== null, config.poolSize),
      // `options` is what useFactory built above, so it carries `embedded`.
      dataSourceFactory: async (options) => {
        const { embedded } = options as AppDataSourceOptions;
        const dataSource = await new DataSource(options!).initialize();
        await runMigrationsOnStart(dataSource, { embedded });
        return dataSource;
      },
    }),
    EmbeddedPostgresModule,
  ],
  providers: [EmbeddedPostgresLifecycle, PreparedQueries],
  exports: [PreparedQueries],
})
export class DatabaseModule {}
