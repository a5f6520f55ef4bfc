import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const LOGOUT_SCOPES = ['local', 'others', 'global'] as const;
export type LogoutScope = (typeof LOGOUT_SCOPES)[number];

export class LogoutDto {
  @ApiPropertyOptional({
    description: 'A refresh token of yours to end as well (OTP Auth System clients send it).',
  })
  @IsOptional()
  @IsString({ message: 'Refresh token must be a string.' })
  @MaxLength(512, { message: 'Refresh token is too long.' })
  refresh_token?: string;

  @ApiPropertyOptional({
    enum: LOGOUT_SCOPES,
    default: 'local',
    description: '`local` ends this session, `others` every other one, `global` all of them',
  })
  @IsOptional()
  @IsIn(LOGOUT_SCOPES, { message: 'scope must be one of local, others, global.' })
  scope?: LogoutScope;
}
