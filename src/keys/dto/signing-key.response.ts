import { ApiProperty } from '@nestjs/swagger';
import { SigningKey, SigningKeyStatus } from '../entities/signing-key.entity';
import { SIGNING_ALGORITHMS, SigningAlgorithm } from '../keys.config';

const KID = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
const when = (date: Date | null): string | null => date?.toISOString() ?? null;

/** A signing key as the admin routes show it: the public half only, never the private key. */
export class SigningKeyResponse {
  @ApiProperty({
    example: KID,
    description: "The RFC 7638 thumbprint of the public key (the tokens' `kid`)",
  })
  kid!: string;

  @ApiProperty({ enum: SIGNING_ALGORITHMS, example: 'ES256' })
  alg!: SigningAlgorithm;

  @ApiProperty({ enum: ['standby', 'active', 'retired', 'revoked'], example: 'standby' })
  status!: SigningKeyStatus;

  @ApiProperty({
    format: 'date-time',
    example: '2026-11-20T10:00:00.000Z',
    description: 'Also when it was published in JWKS',
  })
  created_at!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  activated_at!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  retired_at!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  revoked_at!: string | null;

  @ApiProperty({
    description: 'The public JWK (as JWKS publishes it)',
    example: {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      kid: KID,
      alg: 'ES256',
      use: 'sig',
    },
  })
  public_jwk!: Record<string, string>;
}

export class SigningKeyListResponse {
  @ApiProperty({ type: [SigningKeyResponse] })
  data!: SigningKeyResponse[];
}

/** The JWK of a key as JWKS and the admin routes publish it. */
export function jwkOf(key: Pick<SigningKey, 'kid' | 'alg' | 'publicJwk'>): Record<string, string> {
  return { ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' };
}

export function toSigningKeyResponse(key: SigningKey): SigningKeyResponse {
  return {
    kid: key.kid,
    alg: key.alg,
    status: key.status,
    created_at: key.createdAt.toISOString(),
    activated_at: when(key.activatedAt),
    retired_at: when(key.retiredAt),
    revoked_at: when(key.revokedAt),
    public_jwk: jwkOf(key),
  };
}
