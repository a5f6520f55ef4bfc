import { ApiProperty } from '@nestjs/swagger';

export class HealthResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';
}

export class CheckResult {
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

class DatabasePool {
  @ApiProperty({
    example: 20,
    description: 'Most connections this instance opens (DATABASE_POOL_SIZE)',
  })
  size!: number;

  @ApiProperty({ example: 3, description: 'Connections open now' })
  open!: number;

  @ApiProperty({ example: 2, description: 'Open connections not serving a query' })
  idle!: number;

  @ApiProperty({ example: 0, description: 'Queries waiting for a connection' })
  waiting!: number;

  @ApiProperty({
    example: false,
    description: 'Every connection is busy and queries wait: add instances or raise the pool',
  })
  saturated!: boolean;
}

class DatabaseCheck extends CheckResult {
  @ApiProperty({ type: DatabasePool, description: "This instance's connection pool" })
  pool!: DatabasePool;
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
  @ApiProperty({ type: DatabaseCheck })
  database!: DatabaseCheck;

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
