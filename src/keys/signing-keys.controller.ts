import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, ClientInfo } from '../common/auth/auth-user';
import { ApiJsonBodyErrors } from '../common/swagger/api-error-responses.decorator';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Client, CurrentCaller } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ActivateSigningKeyDto, CreateSigningKeyDto } from './dto/signing-key-requests.dto';
import { SigningKeyListResponse, SigningKeyResponse } from './dto/signing-key.response';
import { SigningKeysService } from './signing-keys.service';

const KID = ApiParam({
  name: 'kid',
  description: 'The key id (RFC 7638 thumbprint)',
  example: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
});

/** Admins rotate the keys that sign access tokens (Tokens other services can verify). */
@ApiTags('admin')
@Roles('admin')
@Controller('admin/signing-keys')
export class SigningKeysController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get()
  @ApiOperation({
    summary: 'List signing keys (admin)',
    description:
      'Every key, newest first, with its public JWK. Private keys never leave the database.',
  })
  @ApiOkResponse({ type: SigningKeyListResponse })
  @ApiErrors({ 403: 'Not an admin' })
  async list(): Promise<SigningKeyListResponse> {
    return { data: await this.keys.list() };
  }

  @Post()
  @ApiOperation({
    summary: 'Create a standby signing key (admin)',
    description:
      'A new key in state `standby`, published in JWKS at once. It may be activated once it has ' +
      'been published for `JWT_KEY_PUBLISH_SECONDS`.',
  })
  @ApiCreatedResponse({ type: SigningKeyResponse })
  @ApiErrors({ 400: 'Unknown algorithm', 403: 'Not an admin' })
  @ApiJsonBodyErrors()
  create(
    @CurrentCaller() caller: Caller,
    @Client() client: ClientInfo,
    @Body() body: CreateSigningKeyDto,
  ): Promise<SigningKeyResponse> {
    return this.keys.create({ caller, client }, body.alg);
  }

  @Post(':kid/activate')
  @HttpCode(200)
  @KID
  @ApiOperation({
    summary: 'Activate a signing key (admin)',
    description:
      'The key signs new access tokens from now on (every instance within 10 s); the previously ' +
      'active key becomes `retired` and keeps verifying the tokens it signed. Refused (409) while ' +
      'the key has been published for less than `JWT_KEY_PUBLISH_SECONDS`, unless `force: true`.',
  })
  @ApiOkResponse({ type: SigningKeyResponse })
  @ApiErrors({
    403: 'Not an admin',
    404: '`Signing key not found.`',
    400: '`force` is not a boolean',
    409: 'Published too recently, or not a standby key',
  })
  @ApiJsonBodyErrors()
  activate(
    @CurrentCaller() caller: Caller,
    @Client() client: ClientInfo,
    @Param('kid') kid: string,
    @Body() body: ActivateSigningKeyDto,
  ): Promise<SigningKeyResponse> {
    return this.keys.activate({ caller, client }, kid, body.force);
  }

  @Post(':kid/revoke')
  @HttpCode(200)
  @KID
  @ApiOperation({
    summary: 'Revoke a signing key (admin)',
    description:
      'A standby or retired key leaves JWKS, and every token it signed is refused from the next ' +
      'request on (on every instance within 10 s). The active key cannot be revoked.',
  })
  @ApiOkResponse({ type: SigningKeyResponse })
  @ApiErrors({ 403: 'Not an admin', 404: '`Signing key not found.`', 409: 'The active key' })
  revoke(
    @CurrentCaller() caller: Caller,
    @Client() client: ClientInfo,
    @Param('kid') kid: string,
  ): Promise<SigningKeyResponse> {
    return this.keys.revoke({ caller, client }, kid);
  }
}
