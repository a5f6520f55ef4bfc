import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { ApiKeysOnly } from '../common/decorators/api-key-access.decorator';
import { ApiKeySecurity } from '../common/swagger/api-key-security';
import { IntrospectDto } from './dto/introspect.dto';
import { IntrospectionResponse } from './dto/introspection.response';
import { IntrospectionService } from './introspection.service';

export const INTROSPECTION_PATH = '/api/oauth/introspect';

/** RFC 7662 token introspection, for services holding an API key with scope `introspect`. */
@ApiTags('oauth')
@Controller('oauth')
export class IntrospectionController {
  constructor(private readonly introspection: IntrospectionService) {}

  @Post('introspect')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiKeysOnly('introspect')
  @ApiKeySecurity()
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: IntrospectDto })
  @ApiOperation({
    summary: 'Introspect a token (RFC 7662; API key with scope `introspect`)',
    description:
      'Whether an access or refresh token is live right now. Anything not live (expired, its ' +
      'session ended by logout, reuse detection or password reset, its user inactive, deleted or ' +
      'banned, garbage) is exactly `{"active":false}`, from the next request after the change, on ' +
      'every instance. A refresh token is never used or rotated here.',
  })
  @ApiOkResponse({
    type: IntrospectionResponse,
    description: 'Live access token; a refresh token answers `token_type, sub, sid, exp` only',
    example: {
      active: true,
      token_type: 'access_token',
      sub: '3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a11',
      sid: '0b7d2f4e-5a1c-4c3e-9f0a-2d6e8b1c4a77',
      role: 'user',
      exp: 1795702574,
      iat: 1795701674,
      iss: 'https://auth.example.com',
      aud: 'mailguard',
      jti: '5d1c7a3e-2b9f-4e60-8a71-c3d4e5f60718',
    },
  })
  @ApiErrors({
    400: '`token` missing or not a string',
    401: 'No API key, an unknown or revoked one, or one without scope `introspect`',
    413: 'The body is larger than 16 KiB (PAYLOAD_TOO_LARGE)',
    415: 'A body that is neither form-encoded nor JSON (UNSUPPORTED_MEDIA_TYPE)',
  })
  introspect(@Body() dto: IntrospectDto): Promise<IntrospectionResponse> {
    return this.introspection.introspect(dto);
  }
}
