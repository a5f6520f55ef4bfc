import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppException } from '../../common/errors/app.exception';
import { PerRoute } from '../../common/guards/per-route';
import { passesCsrfChecks, readRefreshCookie, wantsCookieTransport } from './refresh-cookie';
import { RefreshCookieAnswers } from './refresh-cookie.answers';
import { RefreshCookieConfig } from './refresh-cookie.settings';

/** What a route does with the refresh cookie; set by the decorators in refresh-cookie.decorators.ts. */
export type RefreshCookieRole = 'issues' | 'refreshes' | 'ends';
export const REFRESH_COOKIE_ROLE = 'refreshCookieRole';

export const CSRF_REFUSAL =
  'Cross-site request refused: send X-CSRF-Protection: 1 from a trusted origin.';

type Body = Record<string, unknown>;

/**
 * The request side of the refresh cookie: moves a token from the cookie into the JSON body. The
 * route's last guard, it runs after authentication and before the validation pipe, so a token
 * read from the cookie is validated like one sent in the body. What the answer must do with the
 * cookie is left to RefreshCookieAnswers. (An interceptor did both once; Nest wraps every
 * intercepted request in rxjs observables and async resources: 12-28 % of the CPU of a code
 * login and of a refresh.)
 */
@Injectable()
export class RefreshCookieGuard implements CanActivate {
  private readonly roles = new PerRoute<RefreshCookieRole | undefined>(([handler]) =>
    this.reflector.get<RefreshCookieRole | undefined>(REFRESH_COOKIE_ROLE, handler),
  );

  constructor(
    private readonly reflector: Reflector,
    private readonly cookie: RefreshCookieConfig,
    private readonly answers: RefreshCookieAnswers,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const role = this.roles.of(context);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    let toCookie = wantsCookieTransport(request.headers);
    if (role === 'refreshes' || role === 'ends') {
      const body = isObject(request.body) ? request.body : {};
      const field = role === 'refreshes' ? 'refresh' : 'refresh_token';
      const named = role === 'refreshes' ? body.refresh || body.refresh_token : body.refresh_token;
      const fromCookie = named
        ? null
        : readRefreshCookie(this.cookie.settings, request.headers.cookie);
      if (fromCookie !== null) {
        // A logout the access token authenticates passed its own check; the cookie only adds a session.
        const cookieAuthenticates = role === 'refreshes' || !request.headers.authorization;
        if (cookieAuthenticates && !passesCsrfChecks(this.cookie.settings, request.headers))
          throw AppException.forbidden(CSRF_REFUSAL);
        request.body = { ...body, [field]: fromCookie };
        // A refresh through the cookie always answers through it.
        if (role === 'refreshes') toCookie = true;
      }
    }
    if (role === 'ends') this.answers.expect(request, 'clear');
    else if (toCookie) this.answers.expect(request, 'set');
    return true;
  }
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
