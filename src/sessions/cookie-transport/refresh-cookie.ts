import { AppConfig } from '../../config/app.config';
import { AuthConfig } from '../auth.config';

/** The request header a browser client sends to get (and keep) its refresh token in a cookie. */
export const TOKEN_TRANSPORT_HEADER = 'x-token-transport';
/** The custom header every cookie-authenticated request carries (a cross-site form cannot). */
export const CSRF_HEADER = 'x-csrf-protection';

/** Name and attributes of the refresh cookie, settled once from PUBLIC_URL and JWT_REFRESH_TTL. */
export interface RefreshCookieSettings {
  name: string;
  secure: boolean;
  maxAgeSeconds: number;
  /** Origins whose requests the cookie may authenticate: PUBLIC_URL's and CORS_ORIGINS. */
  trustedOrigins: ReadonlySet<string>;
}

export function refreshCookieSettings(app: AppConfig, auth: AuthConfig): RefreshCookieSettings {
  const url = new URL(app.publicUrl);
  // Plain http on localhost cannot hold a Secure (nor a __Host-) cookie: the development spelling.
  const development = url.protocol === 'http:' && url.hostname === 'localhost';
  return {
    name: development ? 'mailguard_refresh' : '__Host-mailguard_refresh',
    secure: !development,
    maxAgeSeconds: auth.refreshTtlSeconds,
    trustedOrigins: new Set([url.origin, ...app.corsOrigins]),
  };
}

/** `Set-Cookie` for a new refresh token, or (value null) for clearing it. */
export function serializeRefreshCookie(
  settings: RefreshCookieSettings,
  value: string | null,
): string {
  const parts = [
    `${settings.name}=${value ?? ''}`,
    'Path=/',
    `Max-Age=${value === null ? 0 : settings.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (settings.secure) parts.push('Secure');
  return parts.join('; ');
}

const TOKEN = /^[A-Za-z0-9_-]{1,512}$/;

/** The refresh token the `Cookie` header carries under our name; null when absent or malformed. */
export function readRefreshCookie(
  settings: RefreshCookieSettings,
  header: string | string[] | undefined,
): string | null {
  const joined = Array.isArray(header) ? header.join('; ') : header;
  if (!joined) return null;
  for (const pair of joined.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== settings.name) continue;
    const value = pair.slice(at + 1).trim();
    return TOKEN.test(value) ? value : null;
  }
  return null;
}

type Headers = Record<string, string | string[] | undefined>;

/** Whether the request asked for the cookie transport (`X-Token-Transport: cookie`). */
export function wantsCookieTransport(headers: Headers): boolean {
  const value = headers[TOKEN_TRANSPORT_HEADER];
  return typeof value === 'string' && value.trim().toLowerCase() === 'cookie';
}

/**
 * CSRF defense for a request the refresh cookie authenticates: the custom header, an `Origin`
 * (when sent) we trust, and no cross-site fetch from an origin we do not. True when it may pass.
 */
export function passesCsrfChecks(settings: RefreshCookieSettings, headers: Headers): boolean {
  if (headers[CSRF_HEADER] !== '1') return false;
  const origin = headers.origin;
  if (origin !== undefined && (typeof origin !== 'string' || !settings.trustedOrigins.has(origin)))
    return false;
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' && origin === undefined) return false;
  return true;
}
