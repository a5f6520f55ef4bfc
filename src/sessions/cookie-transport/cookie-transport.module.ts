import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions.module';
import { AccessOrRefreshCookieGuard } from './refresh-cookie-auth.guard';
import { RefreshCookieInterceptor } from './refresh-cookie.interceptor';
import { RefreshCookieConfig } from './refresh-cookie.settings';

/** The refresh cookie for browser frontends; routes opt in with the decorators of this folder. */
@Module({
  imports: [SessionsModule],
  providers: [RefreshCookieConfig, RefreshCookieInterceptor, AccessOrRefreshCookieGuard],
  exports: [RefreshCookieConfig, RefreshCookieInterceptor, AccessOrRefreshCookieGuard],
})
export class CookieTransportModule {}
