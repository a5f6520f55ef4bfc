/** Who is calling: set on the request by the JWT guard once the session is known to be live. */
export interface AuthUser {
  id: string;
  sessionId: string;
  isStaff: boolean;
}

/** What the request says about the device, recorded on sessions. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  /** The request's `Accept-Language`, for the language of the mails it causes. */
  acceptLanguage?: string | null;
  /** The request's `X-Request-Id`, for audit events. */
  requestId?: string;
}

export type ApiKeyScope = 'introspect' | 'admin';

export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['introspect', 'admin'];

/** A service calling with `Authorization: Bearer mgk_…`: never a user, so never on user routes. */
export interface ApiKeyCaller {
  apiKeyId: string;
  name: string;
  scopes: readonly ApiKeyScope[];
}

/** Who may be on `request.user`: a signed-in user, or (on admin routes only) an API key. */
export type Caller = AuthUser | ApiKeyCaller;

export function isApiKeyCaller(caller: Caller): caller is ApiKeyCaller {
  return 'apiKeyId' in caller;
}

/** An admin user, or an API key with scope `admin`: may manage every user. */
export function isAdminCaller(caller: Caller): boolean {
  return isApiKeyCaller(caller) ? caller.scopes.includes('admin') : caller.isStaff;
}

/** The user behind the call, or null for an API key (which is never a user). */
export function callerUserId(caller: Caller): string | null {
  return isApiKeyCaller(caller) ? null : caller.id;
}

/** The session the call was made with, or null for an API key. */
export function callerSessionId(caller: Caller): string | null {
  return isApiKeyCaller(caller) ? null : caller.sessionId;
}
