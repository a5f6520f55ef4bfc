/** The event types of API.md ("Webhooks"); `webhook.test` is sent only by the test route. */
export const WEBHOOK_EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deleted',
  'user.restored',
  'user.banned',
  'user.unbanned',
  'user.email_changed',
  'password.changed',
  'password.reset',
  'session.created',
  'session.revoked',
  'session.reuse_detected',
  'account.locked',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number] | 'webhook.test';

/** Audit actions whose name differs from the webhook type; others keep their name when listed above. */
const RENAMED: Record<string, WebhookEventType> = {
  'email.changed': 'user.email_changed',
  'login.succeeded': 'session.created',
  'refresh.reuse_detected': 'session.reuse_detected',
};

/**
 * The webhook type of an audit event, or null when receivers are not told of it: successes, and
 * the one refusal that is itself the news (a refresh token used twice, audited as `denied`).
 */
export function webhookTypeOf(action: string, outcome = 'success'): WebhookEventType | null {
  const told =
    outcome === 'success' || (outcome === 'denied' && action === 'refresh.reuse_detected');
  if (!told) return null;
  if (action in RENAMED) return RENAMED[action];
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(action)
    ? (action as WebhookEventType)
    : null;
}

/** Whether an endpoint's filter (names or `['*']`) takes this type; `webhook.test` always goes. */
export function subscribes(filter: readonly string[], type: WebhookEventType): boolean {
  return type === 'webhook.test' || filter.includes('*') || filter.includes(type);
}
