import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { Webhook } from './entities/webhook.entity';
import { subscribes, WebhookEventType, webhookTypeOf } from './webhook-event-types';
import { newMessageId } from './webhook-signature';

/** What the events door hands over; only these fields reach a receiver. */
export interface WebhookSourceEvent {
  action: string;
  outcome?: string;
  user?: object;
  session?: { id: string; ip: string | null; user_agent: string | null };
}

/**
 * Queues webhook deliveries in the caller's transaction (the outbox): one row per event and
 * subscribed, enabled endpoint. Nothing is sent here; the worker does that after the commit.
 */
@Injectable()
export class WebhookEventsService {
  async enqueue(manager: EntityManager, events: readonly WebhookSourceEvent[]): Promise<void> {
    const typed = events
      .filter((event) => (event.outcome ?? 'success') === 'success' && event.user)
      .map((event) => ({ event, type: webhookTypeOf(event.action) }))
      .filter((entry): entry is { event: WebhookSourceEvent; type: WebhookEventType } =>
        Boolean(entry.type),
      );
    if (typed.length === 0) return;
    const endpoints = await manager.getRepository(Webhook).find({
      where: { enabled: true },
      select: { id: true, events: true },
      order: { createdAt: 'ASC' },
    });
    if (endpoints.length === 0) return;
    const timestamp = new Date().toISOString();
    const rows = typed.flatMap(({ event, type }) => {
      const data = event.session
        ? { user: event.user, session: event.session }
        : { user: event.user };
      const body = JSON.stringify({ type, timestamp, data });
      return endpoints
        .filter((endpoint) => subscribes(endpoint.events, type))
        .map((endpoint) => delivery(endpoint.id, type, body));
    });
    if (rows.length > 0) await manager.getRepository(WebhookDelivery).insert(rows);
  }

  /** `webhook.test` for one endpoint, whatever its filter. */
  async enqueueTest(manager: EntityManager, webhookId: string): Promise<void> {
    const body = JSON.stringify({
      type: 'webhook.test',
      timestamp: new Date().toISOString(),
      data: { webhook_id: webhookId },
    });
    await manager.getRepository(WebhookDelivery).insert(delivery(webhookId, 'webhook.test', body));
  }
}

function delivery(
  webhookId: string,
  type: WebhookEventType,
  body: string,
): Partial<WebhookDelivery> {
  return { id: newMessageId(), webhookId, type, body, status: 'pending' };
}
