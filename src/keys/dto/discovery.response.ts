import { ApiProperty } from '@nestjs/swagger';

const JWK_EXAMPLE = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  kid: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
  alg: 'ES256',
  use: 'sig',
};

export class JwksResponse {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: { type: 'string' } },
    example: [JWK_EXAMPLE],
    description:
      'The public JWK of every standby, active and retired key (empty with JWT_ALGORITHM=HS256)',
  })
  keys!: Record<string, string>[];
}

/** OpenID Connect Discovery / RFC 8414 metadata: all a verifier needs is the issuer URL. */
export class DiscoveryResponse {
  @ApiProperty({ example: 'https://auth.example.com' })
  issuer!: string;

  @ApiProperty({ example: 'https://auth.example.com/.well-known/jwks.json' })
  jwks_uri!: string;

  @ApiProperty({ example: 'https://auth.example.com/api/users/token/refresh/' })
  token_endpoint!: string;

  @ApiProperty({ example: 'https://auth.example.com/api/oauth/introspect' })
  introspection_endpoint!: string;

  @ApiProperty({ type: [String], example: ['refresh_token'] })
  grant_types_supported!: string[];

  @ApiProperty({ type: [String], example: ['none'] })
  response_types_supported!: string[];

  @ApiProperty({ type: [String], example: ['public'] })
  subject_types_supported!: string[];

  @ApiProperty({
    type: [String],
    example: ['ES256'],
    description: 'The algorithms of the published keys; none with the legacy HS256 setting',
  })
  id_token_signing_alg_values_supported!: string[];

  @ApiProperty({ type: [String], example: ['none'] })
  token_endpoint_auth_methods_supported!: string[];
}
