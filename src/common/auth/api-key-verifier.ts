import { ApiKeyCaller } from './auth-user';

/** `Authorization: Bearer mgk_…`: the service API key a request presents, if any. */
const API_KEY_HEADER = /^bearer\s+(mgk_[A-Za-z0-9_-]+)\s*$/i;

export const API_KEY_PREFIX = 'mgk_';

export function extractApiKey(authorization: unknown): string | null {
  return typeof authorization === 'string'
    ? (API_KEY_HEADER.exec(authorization)?.[1] ?? null)
    : null;
}

/**
 * Turns a presented API key into its caller, or null when it is unknown or revoked. Implemented by
 * the api-keys module; the global guard depends only on this, so `common` stays a leaf.
 */
export abstract class ApiKeyVerifier {
  abstract verify(key: string): Promise<ApiKeyCaller | null>;
}
