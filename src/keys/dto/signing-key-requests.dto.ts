import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { SIGNING_ALGORITHMS, SigningAlgorithm } from '../keys.config';

export class CreateSigningKeyDto {
  @ApiPropertyOptional({
    enum: SIGNING_ALGORITHMS,
    example: 'ES256',
    description: 'Defaults to `JWT_ALGORITHM`',
  })
  @IsOptional()
  @IsIn(SIGNING_ALGORITHMS)
  alg?: SigningAlgorithm;
}

export class ActivateSigningKeyDto {
  @ApiPropertyOptional({
    example: false,
    description:
      'Activate even though the key has been in JWKS for less than `JWT_KEY_PUBLISH_SECONDS` ' +
      '(verifiers that cached the old JWKS refuse its tokens until they fetch it again)',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
