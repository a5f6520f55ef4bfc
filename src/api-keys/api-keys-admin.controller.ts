import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, ClientInfo } from '../common/auth/auth-user';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { RefusesApiKeys } from '../common/decorators/api-key-access.decorator';
import { Client, CurrentUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { uuidParam } from '../common/pipes/uuid-param.pipe';
import { ApiJsonBodyErrors } from '../common/swagger/api-error-responses.decorator';
import { API_KEY_NOT_FOUND, ApiKeysService } from './api-keys.service';
import { ApiKeyListResponse, CreatedApiKeyResponse } from './dto/api-key.response';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

/** Admin users manage service API keys; no API key may, whatever its scopes. */
@ApiTags('admin')
@Controller('admin/api-keys')
@Roles('admin')
@RefusesApiKeys()
export class ApiKeysAdminController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a service API key (admin user)',
    description:
      'The answer is the only place the key appears: MailGuard keeps a keyed hash of it. ' +
      'Services send it as `Authorization: Bearer mgk_…`.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  @ApiErrors({
    400: 'A field error, e.g. `Scopes must be from: introspect, admin.`',
    403: 'Not an admin user (API keys included)',
  })
  @ApiJsonBodyErrors()
  create(
    @CurrentUser() admin: AuthUser,
    @Body() dto: CreateApiKeyDto,
    @Client() client: ClientInfo,
  ): Promise<CreatedApiKeyResponse> {
    return this.apiKeys.create(admin, dto, client);
  }

  @Get()
  @ApiOperation({
    summary: 'List the live service API keys (admin user)',
    description: 'Never the key or its hash; `last_used_at` is kept to the minute.',
  })
  @ApiOkResponse({ type: ApiKeyListResponse })
  @ApiErrors({ 403: 'Not an admin user (API keys included)' })
  list(): Promise<ApiKeyListResponse> {
    return this.apiKeys.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid', description: 'API key id' })
  @ApiOperation({
    summary: 'Revoke a service API key (admin user)',
    description: 'Refused from the next request on, on every instance.',
  })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors({
    403: 'Not an admin user (API keys included)',
    404: '`API key not found.` (also when already revoked)',
  })
  async revoke(
    @CurrentUser() admin: AuthUser,
    @Param('id', uuidParam(API_KEY_NOT_FOUND)) id: string,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.apiKeys.revoke(admin, id, client);
  }
}
