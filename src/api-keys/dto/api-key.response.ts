import { ApiProperty } from '@nestjs/swagger';
import { API_KEY_SCOPES, ApiKeyScope } from '../../common/auth/auth-user';
import { ApiKey } from '../entities/api-key.entity';

/** An API key as the list shows it: never the key, never its hash. */
export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid', example: '6f1c2b9e-8d4a-4e37-a1f0-3b5c7d9e2a41' })
  id!: string;

  @ApiProperty({ example: 'billing-service' })
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['introspect'] })
  scopes!: ApiKeyScope[];

  @ApiProperty({ format: 'date-time', example: '2026-11-26T10:00:00.000Z' })
  created_at!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-11-26T11:30:00.000Z',
    description: 'Last authenticated request, to the minute; null if never used',
  })
  last_used_at!: string | null;
}

export class ApiKeyListResponse {
  @ApiProperty({ type: [ApiKeyResponse] })
  data!: ApiKeyResponse[];
}

/** The answer to a creation: the only time the key itself is ever shown. */
export class CreatedApiKeyResponse {
  @ApiProperty({ format: 'uuid', example: '6f1c2b9e-8d4a-4e37-a1f0-3b5c7d9e2a41' })
  id!: string;

  @ApiProperty({ example: 'billing-service' })
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['introspect'] })
  scopes!: ApiKeyScope[];

  @ApiProperty({
    example: 'mgk_q3Xv0b8hW1nZp5yTz2sR7uK4eA9cL6mD0fG3jH8iB1o',
    description:
      'Shown only in this answer: store it now. Send it as `Authorization: Bearer mgk_…`.',
  })
  key!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-26T10:00:00.000Z' })
  created_at!: string;
}

export function toApiKeyResponse(key: ApiKey): ApiKeyResponse {
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopes,
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
  };
}

export function toCreatedApiKeyResponse(key: ApiKey, secret: string): CreatedApiKeyResponse {
  return {
    id: key.id,
    name: key.name,
    scopes: key.scopes,
    key: secret,
    created_at: key.createdAt.toISOString(),
  };
}
