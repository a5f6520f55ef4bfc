import { ApiKey } from '../api-keys/entities/api-key.entity';
import { SigningKey } from '../keys/entities/signing-key.entity';
import { AuditEvent } from '../audit/entities/audit-event.entity';
import { OutboxMail } from '../mail/entities/outbox-mail.entity';
import { RefreshToken } from '../sessions/entities/refresh-token.entity';
import { Session } from '../sessions/entities/session.entity';
import { User } from '../users/entities/user.entity';
import { WebhookDelivery } from '../webhooks/entities/webhook-delivery.entity';
import { Webhook } from '../webhooks/entities/webhook.entity';

/** Every entity the schema knows; migrations are generated against this list. */
export const entities = [
  User,
  Session,
  RefreshToken,
  OutboxMail,
  SigningKey,
  Webhook,
  WebhookDelivery,
  ApiKey,
  AuditEvent,
];
