import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class RefreshDto {
  @ApiPropertyOptional({
    example: 'q0v2…',
    description: 'The refresh token (`refresh_token` is accepted too)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  refresh?: string;

  @ApiPropertyOptional({ description: 'Alias of `refresh`' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  refresh_token?: string;
}
