import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
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

  /** Events that change no data (failed logins, denials): written soon, in batches, never lost on a graceful shutdown. */
  recordSoon(...events: DomainEvent[]): void {
    this.audit.appendLater(events);
  }
}
