import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The audit_events table (append-only). Placeholder until the audit log lands (issue #15). */
@Injectable()
export class AuditService {
  async append(_manager: EntityManager, _events: readonly object[]): Promise<void> {}

  appendLater(_events: readonly object[]): void {}
}
