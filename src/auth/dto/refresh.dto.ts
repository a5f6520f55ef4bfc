import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { RequiredUnless } from './required-unless';

export class RefreshDto {
  @ApiPropertyOptional({
    example: 'q0v2…',
    description: 'The refresh token (`refresh_token` is accepted too)',
  })
  @IsString({ message: 'Refresh token must be a string.' })
  @MaxLength(512, { message: 'Refresh token is too long.' })
  @RequiredUnless('refresh_token', {
    missing: 'Refresh token is required.',
    blankIsMissing: true,
  })
  refresh?: string;

  @ApiPropertyOptional({ description: 'Alias of `refresh`' })
  @IsOptional()
  @IsString({ message: 'Refresh token must be a string.' })
  @MaxLength(512, { message: 'Refresh token is too long.' })
  refresh_token?: string;
}
