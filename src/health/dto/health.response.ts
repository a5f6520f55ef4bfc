import { ApiProperty } from '@nestjs/swagger';

export class HealthResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';
}

class CheckResult {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status!: 'up' | 'down';
}

class MailCheck {
  @ApiProperty({ enum: ['smtp', 'outbox'], example: 'smtp', required: false })
  transport?: 'smtp' | 'outbox';

  @ApiProperty({
    enum: ['up', 'down', 'unknown'],
    example: 'up',
    description: 'SMTP reachable; never fails readiness',
  })
  status!: 'up' | 'down' | 'unknown';

  @ApiProperty({ example: 0, required: false, description: 'Mails waiting in the outbox' })
  backlog?: number;

  @ApiProperty({
    example: 0,
    required: false,
    description: 'Mails kept after failing every attempt',
  })
  failed?: number;
}

class WebhooksCheck {
  @ApiProperty({
    example: 0,
    required: false,
    description: 'Webhook deliveries waiting; reported, never failing readiness',
  })
  backlog?: number;

  @ApiProperty({
    enum: ['unknown'],
    required: false,
    description: 'When the count could not be read',
  })
  status?: 'unknown';
}

class ReadinessChecks {
  @ApiProperty({ type: CheckResult })
  database!: CheckResult;

  @ApiProperty({ type: CheckResult })
  cache!: CheckResult;

  @ApiProperty({ type: MailCheck })
  mail!: MailCheck;

  @ApiProperty({ type: WebhooksCheck })
  webhooks!: WebhooksCheck;
}

export class ReadinessResponse extends HealthResponse {
  @ApiProperty({ type: ReadinessChecks })
  checks!: ReadinessChecks;
}
