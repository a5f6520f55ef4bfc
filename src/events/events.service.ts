import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import type { ForEachStep } from '../database/for-each-step';
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
   * For the hottest path (sign-ins, several in one statement): the audit rows and webhook
   * deliveries of the requests' events as CTE steps of the caller's statement (`audited AS (…),
   * webhooked AS (…)`). Each event belongs to one request (`owner`) and is written only when `from`
   * (CTEs of that statement) has a row whose `owner` column names it. `user`: the user object as
   * SQL json over `from`, for the deliveries' `data`. A fixed text; values numbered from `first`.
   */
  forEachStep(from: string, owner: string, user: string, first: number): ForEachStep<DomainEvent> {
    const audit = this.audit.insertForEach(from, owner, first);
    const hooks = this.webhooks.insertForEach(from, owner, user, first + audit.parameterCount);
    return {
      sql: `audited AS (${audit.sql}), webhooked AS (${hooks.sql})`,
      parameterCount: audit.parameterCount + hooks.parameterCount,
      parameters: (events) => [...audit.parameters(events), ...hooks.parameters(events)],
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
