import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditInsert, AuditService } from '../audit/audit.service';
import { WebhookEventsService } from '../webhooks/webhook-events.service';
import { DomainEvent } from './domain-event';

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
    await this.webhooks.enqueue(manager, events);
  }

  /**
   * For the hottest path (a sign-in, one statement): the event's row as a step of the caller's
   * statement, written only when its CTE `source` yields a row. Placeholders from `$first`.
   */
  recordStep(source: string, event: DomainEvent, first: number): AuditInsert {
    return this.audit.insertFrom(source, event, first);
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
