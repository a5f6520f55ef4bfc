import { Module } from '@nestjs/common';
import { AppCacheModule } from './cache/cache.module';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';

@Module({
  imports: [AppConfigModule, DatabaseModule, AppCacheModule, HealthModule],
})
export class AppModule {}
