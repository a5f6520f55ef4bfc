import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Queues webhook deliveries for events. Placeholder until webhooks land (issue #17). */
@Injectable()
export class WebhookEventsService {
  async enqueue(_manager: EntityManager, _events: readonly object[]): Promise<void> {}
}
