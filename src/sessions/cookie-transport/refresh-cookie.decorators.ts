import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IS_PUBLIC_KEY } from '../../common/decorators/public.decorator';
import { AccessOrRefreshCookieGuard } from './refresh-cookie-auth.guard';
import { REFRESH_COOKIE_ROLE, RefreshCookieGuard } from './refresh-cookie.guard';

/** Set where the global JWT guard steps aside for a route guard that still authenticates. */
export const AUTHENTICATED_BY_ROUTE_GUARD = 'authenticatedByRouteGuard';

const TRANSPORT_HEADER = ApiHeader({
  name: 'X-Token-Transport',
  required: false,
  enum: ['cookie'],
  description:
    'Browser frontends: `cookie` puts the refresh token in the HttpOnly cookie `__Host-mailguard_refresh` (`mailguard_refresh` on http://localhost) instead of the body.',
});

const CSRF_HEADER = ApiHeader({
  name: 'X-CSRF-Protection',
  required: false,
  enum: ['1'],
  description:
    'Required (value `1`) when the refresh cookie authenticates the request; a missing header, a foreign `Origin` or `Sec-Fetch-Site: cross-site` is 403 `FORBIDDEN`.',
});

/** A route that hands out a refresh token (sign-in, confirmation): the cookie when asked for. */
export const IssuesRefreshCookie = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(REFRESH_COOKIE_ROLE, 'issues'),
    UseGuards(RefreshCookieGuard),
    TRANSPORT_HEADER,
  );

/** A route that trades a refresh token: from the body, else from the cookie (rotated in place). */
export const RefreshesFromCookie = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(REFRESH_COOKIE_ROLE, 'refreshes'),
    UseGuards(RefreshCookieGuard),
    TRANSPORT_HEADER,
    CSRF_HEADER,
  );

/**
 * A route that ends a session (logout): authenticated by the access token or the refresh cookie
 * alone; clears the cookie. The global JWT guard steps aside (without making the route public in
 * the docs) for AccessOrRefreshCookieGuard, which accepts either.
 */
export const EndsRefreshCookie = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(IS_PUBLIC_KEY, true),
    SetMetadata(AUTHENTICATED_BY_ROUTE_GUARD, true),
    // The cookie guard last: it reads the cookie into the body once the caller is authenticated.
    UseGuards(AccessOrRefreshCookieGuard, RefreshCookieGuard),
    SetMetadata(REFRESH_COOKIE_ROLE, 'ends'),
    CSRF_HEADER,
  );
