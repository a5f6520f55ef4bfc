import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { AppException } from '../../common/errors/app.exception';
import {
  passesCsrfChecks,
  readRefreshCookie,
  serializeRefreshCookie,
  wantsCookieTransport,
} from './refresh-cookie';
import { RefreshCookieConfig } from './refresh-cookie.settings';

/** What a route does with the refresh cookie; set by the decorators in refresh-cookie.decorators.ts. */
export type RefreshCookieRole = 'issues' | 'refreshes' | 'ends';
export const REFRESH_COOKIE_ROLE = 'refreshCookieRole';

export const CSRF_REFUSAL =
  'Cross-site request refused: send X-CSRF-Protection: 1 from a trusted origin.';

type Body = Record<string, unknown>;

/**
 * Moves the refresh token between the JSON body and the HttpOnly cookie. Runs before the
 * validation pipe, so a token read from the cookie is validated like one sent in the body; sets
 * a cookie only on success, so a refused request never overwrites another tab's fresh cookie.
 */
@Injectable()
export class RefreshCookieInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly cookie: RefreshCookieConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const role = this.reflector.get<RefreshCookieRole | undefined>(
      REFRESH_COOKIE_ROLE,
      context.getHandler(),
    );
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const settings = this.cookie.settings;
    let toCookie = wantsCookieTransport(request.headers);
    if (role === 'refreshes' || role === 'ends') {
      const body = isObject(request.body) ? request.body : {};
      const field = role === 'refreshes' ? 'refresh' : 'refresh_token';
      const named = role === 'refreshes' ? body.refresh || body.refresh_token : body.refresh_token;
      const fromCookie = named ? null : readRefreshCookie(settings, request.headers.cookie);
      if (fromCookie !== null) {
        // A logout the access token authenticates passed its own check; the cookie only adds a session.
        const cookieAuthenticates = role === 'refreshes' || !request.headers.authorization;
        if (cookieAuthenticates && !passesCsrfChecks(settings, request.headers))
          throw AppException.forbidden(CSRF_REFUSAL);
        request.body = { ...body, [field]: fromCookie };
        // A refresh through the cookie always answers through it.
        if (role === 'refreshes') toCookie = true;
      }
    }
    return next.handle().pipe(
      map((answer: unknown) => {
        if (role === 'ends') {
          void reply.header('Set-Cookie', serializeRefreshCookie(settings, null));
          return answer;
        }
        if (!toCookie || !isObject(answer) || typeof answer.refresh !== 'string') return answer;
        const { refresh, ...rest } = answer as Body & { refresh: string };
        void reply.header('Set-Cookie', serializeRefreshCookie(settings, refresh));
        return rest;
      }),
    );
  }
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
