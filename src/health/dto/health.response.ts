import { ApiProperty } from '@nestjs/swagger';

export class HealthResponse {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';
}

class CheckResult {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status!: 'up' | 'down';
}

class ReadinessChecks {
  @ApiProperty({ type: CheckResult })
  database!: CheckResult;

  @ApiProperty({ type: CheckResult })
  cache!: CheckResult;
}

export class ReadinessResponse extends HealthResponse {
  @ApiProperty({ type: ReadinessChecks })
  checks!: ReadinessChecks;
}
