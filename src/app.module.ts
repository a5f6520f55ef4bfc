import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppGuard } from './app.guard';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuthModule } from './auth/auth.module';
import { AppCacheModule } from './cache/cache.module';
import { JwtAuthGuard } from './common/guards/jwt-auth.guard';
import { RolesGuard } from './common/guards/roles.guard';
import { AppConfigModule } from './config/config.module';
import { Configuration } from './config/configuration';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { ObservabilityModule } from './observability/observability.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { SessionsModule } from './sessions/sessions.module';
import { UsersModule } from './users/users.module';
import { WebhookAdminModule } from './webhook-admin/webhook-admin.module';

@Module({
  imports: [
    ObservabilityModule,
    DatabaseModule,
    AppCacheModule,
    EventsModule,
    RateLimitModule,
    SessionsModule,
    MailModule,
    UsersModule,
    AuthModule,
    ApiKeysModule,
    HealthModule,
    WebhookAdminModule,
  ],
  // One global guard: who is calling (401), may they (403), then per-IP budgets (429).
  providers: [JwtAuthGuard, RolesGuard, AppGuard, { provide: APP_GUARD, useExisting: AppGuard }],
})
export class AppModule {
  /** The app on a configuration parsed once by the caller (`loadConfiguration`). */
  static forRoot(config: Configuration): DynamicModule {
    return { module: AppModule, imports: [AppConfigModule.forRoot(config)] };
  }
}
