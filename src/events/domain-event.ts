import { ClientInfo } from '../common/auth/auth-user';

/** The audit actions of API.md ("Audit log"); webhooks derive their event types from these. */
export type AuditAction =
  | 'code.sent'
  | 'login.succeeded'
  | 'login.failed'
  | 'registration.completed'
  | 'refresh.reuse_detected'
  | 'session.revoked'
  | 'password.reset'
  | 'password.changed'
  | 'email.changed'
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'user.restored'
  | 'user.banned'
  | 'user.unbanned'
  | 'account.locked'
  | 'account.unlocked'
  | 'signing_key.created'
  | 'signing_key.activated'
  | 'signing_key.revoked'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'webhook.created'
  | 'webhook.updated'
  | 'webhook.deleted';

export type EventOutcome = 'success' | 'failure' | 'denied';
export type ActorType = 'user' | 'admin' | 'api_key' | 'system' | 'anonymous';
export type TargetType = 'user' | 'session' | 'signing_key' | 'api_key' | 'webhook';

export interface EventActor {
  type: ActorType;
  id: string | null;
}

/** Where the request came from: the rate limiter's IP, the user agent, `X-Request-Id`, its session. */
export interface EventContext extends ClientInfo {
  sessionId?: string | null;
}

/**
 * "Something happened", said once by the feature that did it. `user` (the plain user object, as
 * API answers show it) and `session` are what webhooks send as `data`; the audit row keeps only ids.
 * Never a code, password, token, key, hash or mail body, anywhere in it.
 */
export interface DomainEvent {
  action: AuditAction;
  outcome?: EventOutcome;
  actor: EventActor;
  target?: { type: TargetType; id: string };
  context?: EventContext;
  metadata?: Record<string, unknown>;
  user?: object;
  /**
   * When `user` is not at hand: whose user object `data.user` carries, read in the event's
   * transaction only if an endpoint takes the event.
   */
  userId?: string;
  session?: { id: string; ip: string | null; user_agent: string | null };
}

/** Who acted: an API key, an admin acting on someone else (or on no user), or a user on itself. */
export function actorOf(
  caller: { id: string; isStaff: boolean } | { apiKeyId: string },
  targetUserId?: string,
): EventActor {
  if ('apiKeyId' in caller) return { type: 'api_key', id: caller.apiKeyId };
  const admin = caller.isStaff && targetUserId !== caller.id;
  return { type: admin ? 'admin' : 'user', id: caller.id };
}

/** The request's context: where it came from and the session it was made with. */
export function contextOf(client?: ClientInfo, sessionId?: string | null): EventContext {
  return {
    ip: client?.ip ?? null,
    userAgent: client?.userAgent ?? null,
    requestId: client?.requestId,
    sessionId: sessionId ?? null,
  };
}

export function userTarget(id: string): { type: 'user'; id: string } {
  return { type: 'user', id };
}
