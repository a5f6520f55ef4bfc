/** Swagger prose: what receivers get, for the create route's description. */
export const WEBHOOK_PAYLOADS = `
Each delivery is a \`POST\` of JSON \`{"type", "timestamp", "data"}\` signed per Standard Webhooks v1:
headers \`webhook-id\` (the same on every retry of one event), \`webhook-timestamp\` (Unix seconds) and
\`webhook-signature\` (\`v1,<base64 HMAC-SHA256 of id.timestamp.body>\` with the secret's bytes after
\`whsec_\`; two signatures, space-separated, for 24 h after a rotation). Verify it with the
\`standardwebhooks\` package. Retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h; a 2xx ends
them, 410 disables the endpoint, the receiver has 10 s to answer. Events reach an endpoint in the
order they happened.

Event types and their \`data\` (\`user\` is the user object of the API, never a code, token, hash or
password; \`session\` is \`{id, ip, user_agent}\`):

- \`user.created\` — \`{user}\`: a code sign-up, a confirmed registration or an admin's create
- \`user.updated\` — \`{user}\` after the change
- \`user.deleted\`, \`user.restored\` — \`{user}\`
- \`user.banned\`, \`user.unbanned\` — \`{user}\` with \`banned_until\`
- \`user.email_changed\` — \`{user}\` with the new email
- \`password.changed\`, \`password.reset\` — \`{user}\`
- \`session.created\` — \`{user, session}\`: every new session (a sign-in of any kind, a confirmed registration, an email change confirm)
- \`session.revoked\` — \`{user, session}\`: a logout, an admin ending it, a session-list delete
- \`session.reuse_detected\` — \`{user, session}\`: a refresh token was used twice; the session ends
- \`account.locked\` — \`{user}\`: too many failed password logins
- \`webhook.test\` — \`{webhook_id}\`: sent by the test route, whatever the filter
`.trim();
