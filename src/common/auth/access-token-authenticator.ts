import { AppException } from '../errors/app.exception';
import { AuthUser } from './auth-user';

const AUTHORIZATION = /^(?:bearer|token)\s+([A-Za-z0-9_.-]+)\s*$/i;

/** `Authorization: Bearer <jwt>` or the DRF spelling `Token <jwt>`, any case. */
export function extractAccessToken(authorization: unknown): string | null {
  return typeof authorization === 'string'
    ? (AUTHORIZATION.exec(authorization)?.[1] ?? null)
    : null;
}

/**
 * Turns an access token into its user when the token is valid and its session live, else null
 * (a failing database or cache throws). Implemented by the sessions module; the guards depend only
 * on this, so `common` stays a leaf.
 */
export abstract class AccessTokenAuthenticator {
  abstract authenticate(token: string): Promise<AuthUser | null>;
}

/** The user of the request's access token; 401 when there is none, or it is invalid or dead. */
export async function requireUser(
  authenticator: AccessTokenAuthenticator,
  authorization: unknown,
): Promise<AuthUser> {
  const token = extractAccessToken(authorization);
  const user = token === null ? null : await authenticator.authenticate(token);
  if (!user) throw AppException.unauthenticated();
  return user;
}
