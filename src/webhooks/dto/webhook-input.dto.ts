import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { WEBHOOK_EVENT_TYPES } from '../webhook-event-types';

const EVENT_NAMES = [...WEBHOOK_EVENT_TYPES, '*'];
export const UNKNOWN_EVENT = `Unknown event type. Use "*" or any of: ${WEBHOOK_EVENT_TYPES.join(', ')}.`;

const URL_DOC: ApiPropertyOptions = {
  example: 'https://hooks.example.com/mailguard',
  maxLength: 2048,
  description:
    'An http(s) URL. Loopback, private, link-local and metadata addresses are refused (400), here ' +
    'and again at each delivery after DNS resolution, unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true.',
};
const EVENTS_DOC: ApiPropertyOptions = {
  example: ['user.created', 'session.revoked'],
  description: `Event types to receive, or \`["*"]\` for all: ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
  type: [String],
};

/** POST /api/admin/webhooks */
export class CreateWebhookDto {
  @ApiProperty(URL_DOC)
  @IsString()
  @MaxLength(2048)
  url!: string;

  @ApiProperty(EVENTS_DOC)
  @IsArray()
  @ArrayNotEmpty({ message: 'events must name at least one event type, or "*".' })
  @ArrayMaxSize(EVENT_NAMES.length)
  @IsIn(EVENT_NAMES, { each: true, message: UNKNOWN_EVENT })
  events!: string[];

  @ApiPropertyOptional({ example: 'CRM sync', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

/** PATCH /api/admin/webhooks/{id}: any of the fields; `enabled: false` drops what waits for it. */
export class UpdateWebhookDto {
  @ApiPropertyOptional(URL_DOC)
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional(EVENTS_DOC)
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: 'events must name at least one event type, or "*".' })
  @ArrayMaxSize(EVENT_NAMES.length)
  @IsIn(EVENT_NAMES, { each: true, message: UNKNOWN_EVENT })
  events?: string[];

  @ApiPropertyOptional({ example: 'CRM sync', maxLength: 500, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({
    example: true,
    description: 'A disabled endpoint gets nothing; events of that time are not kept for it.',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
