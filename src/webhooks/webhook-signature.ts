import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** `msg_` + 27 url-safe characters: the `webhook-id`, the same on every retry. */
export function newMessageId(): string {
  return 'msg_' + randomBytes(20).toString('base64url');
}

/** `v1,<base64 HMAC-SHA256 of id.timestamp.body>` per secret, space-separated (Standard Webhooks v1). */
export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  const content = `${id}.${timestamp}.${body}`;
  return secrets
    .map((secret) => {
      const key = Buffer.from(
        secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret,
        'base64',
      );
      return 'v1,' + createHmac('sha256', key).update(content).digest('base64');
    })
    .join(' ');
}
