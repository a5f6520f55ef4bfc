import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { authConfig, AuthConfig } from '../auth.config';
import { refreshCookieSettings, RefreshCookieSettings } from './refresh-cookie';

/** The refresh cookie's settings as a provider, built once at boot from the typed config. */
@Injectable()
export class RefreshCookieConfig {
  readonly settings: RefreshCookieSettings;

  constructor(@Inject(appConfig.KEY) app: AppConfig, @Inject(authConfig.KEY) auth: AuthConfig) {
    this.settings = refreshCookieSettings(app, auth);
  }
}
