import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Caller, ClientInfo, isApiKeyCaller } from '../common/auth/auth-user';
import { DomainEvent } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { CreateWebhookDto, UpdateWebhookDto } from '../webhooks/dto/webhook-input.dto';
import {
  CreatedWebhookResponse,
  WebhookDeliveryListResponse,
  WebhookListResponse,
  WebhookResponse,
  WebhookSecretResponse,
} from '../webhooks/dto/webhook.response';
import { WebhookEndpointsService } from '../webhooks/webhook-endpoints.service';

/**
 * Orchestrates the admin routes: each change of an endpoint and its `webhook.*` audit event commit
 * together. Lives apart from webhooks/ because events/ delivers through webhooks/ (no cycle).
 */
@Injectable()
export class WebhookAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly endpoints: WebhookEndpointsService,
    private readonly events: EventsService,
  ) {}

  async create(
    caller: Caller,
    client: ClientInfo,
    dto: CreateWebhookDto,
  ): Promise<CreatedWebhookResponse> {
    await this.endpoints.assertTarget(dto.url);
    return this.dataSource.transaction(async (manager) => {
      const created = await this.endpoints.create(manager, dto);
      await this.events.record(manager, event('webhook.created', caller, client, created.id));
      return created;
    });
  }

  async list(): Promise<WebhookListResponse> {
    return { data: await this.endpoints.list() };
  }

  get(id: string): Promise<WebhookResponse> {
    return this.endpoints.get(id);
  }

  async update(
    caller: Caller,
    client: ClientInfo,
    id: string,
    dto: UpdateWebhookDto,
  ): Promise<WebhookResponse> {
    if (dto.url !== undefined) await this.endpoints.assertTarget(dto.url);
    return this.dataSource.transaction(async (manager) => {
      const { webhook, fields } = await this.endpoints.update(manager, id, dto);
      if (fields.length > 0)
        await this.events.record(manager, event('webhook.updated', caller, client, id, { fields }));
      return webhook;
    });
  }

  async remove(caller: Caller, client: ClientInfo, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.endpoints.remove(manager, id);
      await this.events.record(manager, event('webhook.deleted', caller, client, id));
    });
  }

  async rotateSecret(
    caller: Caller,
    client: ClientInfo,
    id: string,
  ): Promise<WebhookSecretResponse> {
    return this.dataSource.transaction(async (manager) => {
      const rotated = await this.endpoints.rotateSecret(manager, id);
      await this.events.record(
        manager,
        event('webhook.updated', caller, client, id, { fields: ['secret'] }),
      );
      return rotated;
    });
  }

  async sendTest(id: string): Promise<void> {
    await this.dataSource.transaction((manager) => this.endpoints.sendTest(manager, id));
  }

  async deliveries(id: string): Promise<WebhookDeliveryListResponse> {
    return { data: await this.endpoints.listDeliveries(id) };
  }
}

function event(
  action: 'webhook.created' | 'webhook.updated' | 'webhook.deleted',
  caller: Caller,
  client: ClientInfo,
  id: string,
  metadata?: Record<string, unknown>,
): DomainEvent {
  const actor = isApiKeyCaller(caller)
    ? { type: 'api_key' as const, id: caller.apiKeyId }
    : { type: 'admin' as const, id: caller.id };
  const sessionId = isApiKeyCaller(caller) ? null : caller.sessionId;
  return {
    action,
    actor,
    target: { type: 'webhook', id },
    context: { ...client, sessionId },
    ...(metadata ? { metadata } : {}),
  };
}
