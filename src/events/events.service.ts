import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { StatementStep, WebhookEventsService } from '../webhooks/webhook-events.service';
import { DomainEvent } from './domain-event';
import { userObjectsOf } from './event-user';

/** One door for "something happened": the audit row and the webhook deliveries. */
@Injectable()
export class EventsService {
  constructor(
    private readonly audit: AuditService,
    private readonly webhooks: WebhookEventsService,
  ) {}

  /** In the caller's transaction, so the change and its events commit together (or not at all). */
  async record(manager: EntityManager, ...events: DomainEvent[]): Promise<void> {
    await this.audit.append(manager, events);
    await this.webhooks.enqueue(manager, events, userObjectsOf);
  }

  /**
   * For the hottest path (a sign-in, one statement): the event's audit row and its webhook
   * deliveries as CTE steps of the caller's statement (`audited AS (…), webhooked AS (…)`), written
   * only when `source` (CTEs of that statement) yields a row. `user`: the user object as SQL json
   * over `source`, for the deliveries' `data`. Placeholders from `$first`.
   */
  recordStep(
    source: string,
    event: DomainEvent,
    first: number,
    user: string,
    index = 0,
  ): StatementStep {
    // Unique CTE names when one statement records several events.
    const [audited, webhooked] =
      index === 0 ? ['audited', 'webhooked'] : [`audited${index}`, `webhooked${index}`];
    const audit = this.audit.insertFrom(source, event, first);
    const hooks = this.webhooks.insertFrom(source, event, user, first + audit.parameters.length);
    if (!hooks) return { sql: `${audited} AS (${audit.sql})`, parameters: audit.parameters };
    return {
      sql: `${audited} AS (${audit.sql}), ${webhooked} AS (${hooks.sql})`,
      parameters: [...audit.parameters, ...hooks.parameters],
    };
  }

  /** Events that change no data (failed logins, denials): written soon, in batches, never lost on a graceful shutdown. */
  recordSoon(...events: DomainEvent[]): void {
    this.audit.appendLater(events);
  }

  /** The keyed hash an email stands as in events (`metadata.email_hash`). */
  emailHash(canonicalEmail: string): string {
    return this.audit.emailHash(canonicalEmail);
  }
}
