import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ForEachStep } from '../database/for-each-step';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { Webhook } from './entities/webhook.entity';
import { subscribes, WebhookEventType, webhookTypeOf } from './webhook-event-types';
import { newMessageId } from './webhook-signature';

// A `webhook-id` made by the database (one per endpoint row): `msg_` + 22 url-safe characters.
const MESSAGE_ID_SQL = `'msg_' || translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/=', '-_')`;

/** What the events door hands over; only these fields reach a receiver. */
export interface WebhookSourceEvent {
  action: string;
  outcome?: string;
  user?: object;
  /** Whose user object `data.user` is, when `user` is not given (see UsersOf). */
  userId?: string;
  session?: { id: string; ip: string | null; user_agent: string | null };
}

/** Reads user objects by id in the caller's transaction (the events door knows how). */
export type UsersOf = (
  manager: EntityManager,
  ids: readonly string[],
) => Promise<Map<string, object>>;

/**
 * Queues webhook deliveries in the caller's transaction (the outbox): one row per event and
 * subscribed, enabled endpoint. Nothing is sent here; the worker does that after the commit.
 */
@Injectable()
export class WebhookEventsService {
  async enqueue(
    manager: EntityManager,
    events: readonly WebhookSourceEvent[],
    usersOf?: UsersOf,
  ): Promise<void> {
    const typed = events
      .filter((event) => event.user || (usersOf && event.userId))
      .map((event) => ({ event, type: webhookTypeOf(event.action, event.outcome) }))
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
    const wanted = typed.filter(({ type }) => endpoints.some((e) => subscribes(e.events, type)));
    const missing = wanted.flatMap(({ event }) => (event.user ? [] : [event.userId!]));
    const users =
      missing.length > 0 && usersOf ? await usersOf(manager, missing) : new Map<string, object>();
    const timestamp = new Date().toISOString();
    const rows = wanted.flatMap(({ event, type }) => {
      const user = event.user ?? users.get(event.userId!);
      if (!user) return [];
      const data = event.session ? { user, session: event.session } : { user };
      const body = JSON.stringify({ type, timestamp, data });
      return endpoints
        .filter((endpoint) => subscribes(endpoint.events, type))
        .map((endpoint) => delivery(endpoint.id, type, body));
    });
    if (rows.length > 0) await manager.getRepository(WebhookDelivery).insert(rows);
  }

  /**
   * A step of a caller's single statement that serves several requests (sign-ins): the deliveries
   * of their events, one row per event and enabled endpoint that takes it, each only when `from`
   * has a row whose `owner` is the event's (no endpoint lookup of its own). `user`: the user object
   * as SQL json over `from`. The text is fixed; `parameters(events)` gives its values from `first`.
   */
  insertForEach(
    from: string,
    owner: string,
    user: string,
    first: number,
  ): ForEachStep<WebhookSourceEvent> {
    const [type, timestamp, session, owners] = [0, 1, 2, 3].map((offset) => `$${first + offset}`);
    return {
      sql: `INSERT INTO webhook_deliveries (id, webhook_id, type, body)
        SELECT ${MESSAGE_ID_SQL}, w.id, e.type,
               json_build_object('type', e.type, 'timestamp', e.at, 'data',
                 CASE WHEN e.session IS NULL THEN json_build_object('user', ${user})
                      ELSE json_build_object('user', ${user}, 'session', e.session) END)::text
        FROM unnest(${type}::text[], ${timestamp}::text[], ${session}::json[], ${owners}::int[])
               WITH ORDINALITY AS e(type, at, session, owner, ord)
        JOIN ${from} ON ${owner} = e.owner
        CROSS JOIN webhooks w
        WHERE w.enabled AND (w.events @> '["*"]' OR w.events @> jsonb_build_array(e.type))
        ORDER BY e.ord, w.created_at`,
      parameterCount: 4,
      parameters: (events) => {
        const at = new Date().toISOString();
        const sent = events.flatMap(({ owner, event }) => {
          const type = webhookTypeOf(event.action, event.outcome);
          return type ? [{ owner, type, session: event.session }] : [];
        });
        return [
          sent.map((entry) => entry.type),
          sent.map(() => at),
          sent.map((entry) => (entry.session ? JSON.stringify(entry.session) : null)),
          sent.map((entry) => entry.owner),
        ];
      },
    };
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
