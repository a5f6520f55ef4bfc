import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  AccessTokenAuthenticator,
  requireUser,
} from '../../common/auth/access-token-authenticator';
import { AppException } from '../../common/errors/app.exception';
import { SessionsService } from '../sessions.service';
import { passesCsrfChecks, readRefreshCookie } from './refresh-cookie';
import { CSRF_REFUSAL } from './refresh-cookie.guard';
import { RefreshCookieConfig } from './refresh-cookie.settings';

/**
 * For routes that end a refresh cookie's session (`@EndsRefreshCookie()`): an access token as
 * everywhere, or, when no `Authorization` header came, the refresh cookie itself under the CSRF
 * checks. The global JWT guard hands these routes over to this one.
 */
@Injectable()
export class AccessOrRefreshCookieGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionsService,
    private readonly cookie: RefreshCookieConfig,
    private readonly accessTokens: AccessTokenAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: unknown }>();
    const settings = this.cookie.settings;
    const token = request.headers.authorization
      ? null
      : readRefreshCookie(settings, request.headers.cookie);
    if (token === null) {
      request.user = await requireUser(this.accessTokens, request.headers.authorization);
      return true;
    }
    if (!passesCsrfChecks(settings, request.headers)) throw AppException.forbidden(CSRF_REFUSAL);
    const caller = await this.sessions.callerOfRefreshToken(token);
    if (!caller) throw AppException.unauthenticated();
    request.user = caller;
    return true;
  }
}
