import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, ClientInfo } from '../common/auth/auth-user';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { Client, CurrentCaller } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { uuidParam } from '../common/pipes/uuid-param.pipe';
import { ApiJsonBodyErrors } from '../common/swagger/api-error-responses.decorator';
import { CreateWebhookDto, UpdateWebhookDto } from '../webhooks/dto/webhook-input.dto';
import {
  CreatedWebhookResponse,
  WebhookDeliveryListResponse,
  WebhookListResponse,
  WebhookResponse,
  WebhookSecretResponse,
} from '../webhooks/dto/webhook.response';
import { WEBHOOK_NOT_FOUND } from '../webhooks/webhook-endpoints.service';
import { WEBHOOK_PAYLOADS } from './webhook-admin.docs';
import { WebhookAdminService } from './webhook-admin.service';

const webhookId = uuidParam(WEBHOOK_NOT_FOUND);
const NOT_FOUND = { 404: '`Webhook not found.`' };
const ADMIN_ONLY = { 403: 'Not an admin' };

/** Admin routes of the webhooks: endpoints, their secrets, a test event and the delivery log. */
@ApiTags('webhooks')
@Roles('admin')
@Controller('admin/webhooks')
export class WebhookAdminController {
  constructor(private readonly webhooks: WebhookAdminService) {}

  @Post()
  @ApiOperation({ summary: 'Add a webhook endpoint (admin)', description: WEBHOOK_PAYLOADS })
  @ApiCreatedResponse({
    type: CreatedWebhookResponse,
    description: 'The endpoint and its secret, shown once',
  })
  @ApiErrors({
    ...ADMIN_ONLY,
    400: 'A URL that is not http(s) or reaches a refused address, an unknown event type',
  })
  @ApiJsonBodyErrors()
  create(
    @CurrentCaller() caller: Caller,
    @Client() client: ClientInfo,
    @Body() dto: CreateWebhookDto,
  ): Promise<CreatedWebhookResponse> {
    return this.webhooks.create(caller, client, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List webhook endpoints (admin)', description: 'Never a secret.' })
  @ApiOkResponse({ type: WebhookListResponse })
  @ApiErrors(ADMIN_ONLY)
  list(): Promise<WebhookListResponse> {
    return this.webhooks.list();
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'One webhook endpoint (admin)' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors({ ...ADMIN_ONLY, ...NOT_FOUND })
  get(@Param('id', webhookId) id: string): Promise<WebhookResponse> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Change a webhook endpoint (admin)',
    description:
      'Disabling drops the deliveries still waiting for it; events of that time are not kept.',
  })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiErrors({ ...ADMIN_ONLY, ...NOT_FOUND, 400: 'A refused URL, an unknown event type' })
  @ApiJsonBodyErrors()
  update(
    @CurrentCaller() caller: Caller,
    @Client() client: ClientInfo,
    @Param('id', webhookId) id: string,
    @Body() dto: UpdateWebhookDto,
  ): Promise<WebhookResponse> {
    return this.webhooks.update(caller, client, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Delete a webhook endpoint and its delivery log (admin)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ ...ADMIN_ONLY, ...NOT_FOUND })
  remove(
    @CurrentCaller() caller: Caller,
    @Client() client: ClientInfo,
    @Param('id', webhookId) id: string,
  ): Promise<void> {
    return this.webhooks.remove(caller, client, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Rotate the signing secret (admin)',
    description: 'The new secret is shown once; the old one keeps signing beside it for 24 h.',
  })
  @ApiOkResponse({ type: WebhookSecretResponse })
  @ApiErrors({ ...ADMIN_ONLY, ...NOT_FOUND })
  rotateSecret(
    @CurrentCaller() caller: Caller,
    @Client() client: ClientInfo,
    @Param('id', webhookId) id: string,
  ): Promise<WebhookSecretResponse> {
    return this.webhooks.rotateSecret(caller, client, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Send a webhook.test event (admin)',
    description: "Queued like any event and sent whatever the endpoint's event filter.",
  })
  @ApiAcceptedResponse({ description: 'Queued' })
  @ApiErrors({ ...ADMIN_ONLY, ...NOT_FOUND, 409: '`Webhook is disabled.`' })
  sendTest(@Param('id', webhookId) id: string): Promise<void> {
    return this.webhooks.sendTest(id);
  }

  @Get(':id/deliveries')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Recent deliveries of an endpoint (admin)',
    description: 'The last 100 events queued for it, newest first, with their latest attempt.',
  })
  @ApiOkResponse({ type: WebhookDeliveryListResponse })
  @ApiErrors({ ...ADMIN_ONLY, ...NOT_FOUND })
  deliveries(@Param('id', webhookId) id: string): Promise<WebhookDeliveryListResponse> {
    return this.webhooks.deliveries(id);
  }
}
