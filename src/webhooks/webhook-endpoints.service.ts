import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AppException } from '../common/errors/app.exception';
import { UpdateWebhookDto, CreateWebhookDto } from './dto/webhook-input.dto';
import {
  CreatedWebhookResponse,
  toDeliveryResponse,
  toWebhookResponse,
  WebhookDeliveryResponse,
  WebhookResponse,
} from './dto/webhook.response';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { Webhook } from './entities/webhook.entity';
import { WebhookEventsService } from './webhook-events.service';
import { newWebhookSecret } from './webhook-signature';
import { targetProblem } from './webhook-target';
import { webhooksConfig, WebhooksConfig } from './webhooks.config';

export const WEBHOOK_NOT_FOUND = 'Webhook not found.';
const PREVIOUS_SECRET_MS = 24 * 3600 * 1000;
const DELIVERIES_SHOWN = 100;

/**
 * The endpoints table: the changes take the caller's transaction (which also records the
 * webhook.* events), reads use the repository.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly events: WebhookEventsService,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
  ) {}

  /** 400 for a URL that is not http(s) or reaches a refused address; made before any transaction. */
  async assertTarget(url: string): Promise<void> {
    const problem = await targetProblem(url, this.config.allowPrivateNetworks);
    if (problem) throw AppException.validation(problem, { url: [problem] });
  }

  async create(manager: EntityManager, dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const repo = manager.getRepository(Webhook);
    const webhook = await repo.save(
      repo.create({
        url: dto.url,
        events: normalizedEvents(dto.events),
        description: dto.description ?? null,
        enabled: true,
        secret: newWebhookSecret(),
      }),
    );
    return { ...toWebhookResponse(webhook), secret: webhook.secret };
  }

  async list(): Promise<WebhookResponse[]> {
    const rows = await this.webhooks.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toWebhookResponse);
  }

  async get(id: string): Promise<WebhookResponse> {
    return toWebhookResponse(await this.found(this.webhooks.manager, id));
  }

  /** Returns the object and the names of the fields that changed. */
  async update(
    manager: EntityManager,
    id: string,
    dto: UpdateWebhookDto,
  ): Promise<{ webhook: WebhookResponse; fields: string[] }> {
    const webhook = await this.found(manager, id, true);
    const next: Partial<Webhook> = {};
    if (dto.url !== undefined && dto.url !== webhook.url) next.url = dto.url;
    if (dto.events !== undefined) {
      const events = normalizedEvents(dto.events);
      if (JSON.stringify(events) !== JSON.stringify(webhook.events)) next.events = events;
    }
    if (dto.description !== undefined && dto.description !== webhook.description)
      next.description = dto.description;
    if (dto.enabled !== undefined && dto.enabled !== webhook.enabled) {
      next.enabled = dto.enabled;
      next.disabledReason = null;
    }
    const fields = Object.keys(next).filter((field) => field !== 'disabledReason');
    if (fields.length > 0) {
      await manager.getRepository(Webhook).update({ id }, next);
      Object.assign(webhook, next);
      if (next.enabled === false) await this.cancelOpen(manager, id);
    }
    return { webhook: toWebhookResponse(webhook), fields };
  }

  async remove(manager: EntityManager, id: string): Promise<void> {
    await this.found(manager, id, true);
    await manager.getRepository(Webhook).delete({ id });
  }

  /** A new secret; the old one signs beside it for 24 h, so receivers can switch without a gap. */
  async rotateSecret(manager: EntityManager, id: string): Promise<{ secret: string }> {
    const webhook = await this.found(manager, id, true);
    const secret = newWebhookSecret();
    await manager.getRepository(Webhook).update(
      { id },
      {
        secret,
        previousSecret: webhook.secret,
        previousSecretExpiresAt: new Date(Date.now() + PREVIOUS_SECRET_MS),
      },
    );
    return { secret };
  }

  /** Queues `webhook.test` for this endpoint, whatever its filter. 409 when it is disabled. */
  async sendTest(manager: EntityManager, id: string): Promise<void> {
    const webhook = await this.found(manager, id);
    if (!webhook.enabled) throw AppException.conflict('Webhook is disabled.');
    await this.events.enqueueTest(manager, id);
  }

  async listDeliveries(id: string): Promise<WebhookDeliveryResponse[]> {
    await this.found(this.webhooks.manager, id);
    const rows = await this.deliveries.find({
      where: { webhookId: id },
      order: { seq: 'DESC' },
      take: DELIVERIES_SHOWN,
    });
    return rows.map(toDeliveryResponse);
  }

  private async found(manager: EntityManager, id: string, lock = false): Promise<Webhook> {
    const webhook = await manager.getRepository(Webhook).findOne({
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!webhook) throw AppException.notFound(WEBHOOK_NOT_FOUND);
    return webhook;
  }

  private async cancelOpen(manager: EntityManager, webhookId: string): Promise<void> {
    await manager
      .getRepository(WebhookDelivery)
      .update({ webhookId, status: In(['pending', 'sending']) }, { status: 'cancelled' });
  }
}

/** `*` alone when present; otherwise the names once each, in the contract's order. */
function normalizedEvents(events: readonly string[]): string[] {
  if (events.includes('*')) return ['*'];
  return [...new Set(events)];
}
