import { ApiProperty } from '@nestjs/swagger';
import { WebhookDelivery } from '../entities/webhook-delivery.entity';
import { Webhook } from '../entities/webhook.entity';

/** The webhook object: never its secret (that is shown once, at creation or rotation). */
export class WebhookResponse {
  @ApiProperty({ format: 'uuid', example: '6f1c2a8e-4b7d-4f0e-9a51-2d3c4b5a6e7f' })
  id!: string;

  @ApiProperty({ example: 'https://hooks.example.com/mailguard' })
  url!: string;

  @ApiProperty({ example: ['*'], type: [String] })
  events!: string[];

  @ApiProperty({ example: 'CRM sync', nullable: true, type: String })
  description!: string | null;

  @ApiProperty({
    example: true,
    description: 'False when an admin switched it off or the receiver answered 410 Gone',
  })
  enabled!: boolean;

  @ApiProperty({ example: '2026-11-26T10:00:00.000Z' })
  created_at!: string;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw/5WUbXq7Ra8=',
    description: 'Shown once: `whsec_` + base64 of 32 random bytes; verify deliveries with it',
  })
  secret!: string;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] })
  data!: WebhookResponse[];
}

export class WebhookSecretResponse {
  @ApiProperty({
    example: 'whsec_3q2+7wAAAAC0Q4d2V0Ym1rZHNmZ2hqa2xtbm9wcXJzdHU=',
    description: 'The new secret, shown once; the old one keeps signing beside it for 24 h',
  })
  secret!: string;
}

export class WebhookDeliveryResponse {
  @ApiProperty({
    example: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    description: 'The `webhook-id` header',
  })
  event_id!: string;

  @ApiProperty({ example: 'user.created' })
  type!: string;

  @ApiProperty({ example: 1, description: 'Attempts made so far' })
  attempt!: number;

  @ApiProperty({
    example: 'succeeded',
    enum: ['pending', 'sending', 'succeeded', 'failed', 'cancelled'],
  })
  status!: string;

  @ApiProperty({ example: 200, nullable: true, type: Number })
  response_code!: number | null;

  @ApiProperty({ example: 42, nullable: true, type: Number })
  duration_ms!: number | null;

  @ApiProperty({ example: '2026-11-26T10:00:00.000Z' })
  created_at!: string;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'When pending: the next try',
  })
  next_retry_at!: string | null;
}

export class WebhookDeliveryListResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse] })
  data!: WebhookDeliveryResponse[];
}

export function toWebhookResponse(webhook: Webhook): WebhookResponse {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    description: webhook.description,
    enabled: webhook.enabled,
    created_at: webhook.createdAt.toISOString(),
  };
}

export function toDeliveryResponse(delivery: WebhookDelivery): WebhookDeliveryResponse {
  return {
    event_id: delivery.id,
    type: delivery.type,
    attempt: delivery.attempts,
    status: delivery.status,
    response_code: delivery.responseCode,
    duration_ms: delivery.durationMs,
    created_at: delivery.createdAt.toISOString(),
    next_retry_at: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
  };
}
