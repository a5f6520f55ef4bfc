import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions.module';
import { AccessOrRefreshCookieGuard } from './refresh-cookie-auth.guard';
import { RefreshCookieAnswers } from './refresh-cookie.answers';
import { RefreshCookieGuard } from './refresh-cookie.guard';
import { RefreshCookieConfig } from './refresh-cookie.settings';

/** The refresh cookie for browser frontends; routes opt in with the decorators of this folder. */
@Module({
  imports: [SessionsModule],
  providers: [
    RefreshCookieConfig,
    RefreshCookieGuard,
    RefreshCookieAnswers,
    AccessOrRefreshCookieGuard,
  ],
  exports: [
    RefreshCookieConfig,
    RefreshCookieGuard,
    RefreshCookieAnswers,
    AccessOrRefreshCookieGuard,
  ],
})
export class CookieTransportModule {}
