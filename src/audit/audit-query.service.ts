import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { canonicalizeEmail } from '../common/email/canonical-email';
import { AuditService } from './audit.service';
import { DEFAULT_AUDIT_LIMIT, AuditPageQuery, AuditQuery } from './dto/audit-query.dto';
import { AuditPageResponse, AuditRow, toAuditEventResponse } from './dto/audit-event.response';
import { AuditEvent } from './entities/audit-event.entity';

const ACTIVITY_DAYS = 90;

/**
 * Reads the audit log, newest first. Pages follow `seq` (the cursor is the last row's), so rows
 * inserted while someone pages land before the first page and never shift the later ones.
 */
@Injectable()
export class AuditQueryService {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly audit: AuditService,
  ) {}

  list(query: AuditQuery): Promise<AuditPageResponse> {
    const where: string[] = [];
    const parameters: unknown[] = [];
    const add = (condition: (p: string) => string, value: unknown) => {
      parameters.push(value);
      where.push(condition(`$${parameters.length}`));
    };
    if (query.action) add((p) => `action = ${p}`, query.action);
    if (query.outcome) add((p) => `outcome = ${p}`, query.outcome);
    if (query.actor_id) add((p) => `actor_id = ${p}`, query.actor_id.toLowerCase());
    if (query.target_id)
      add((p) => `target_id IN (${p}::text, lower(${p}::text))`, query.target_id);
    if (query.ip) add((p) => `ip = ${p}`, query.ip);
    if (query.from) add((p) => `occurred_at >= ${p}`, new Date(query.from));
    if (query.to) add((p) => `occurred_at < ${p}`, new Date(query.to));
    if (query.email !== undefined) {
      const email = canonicalizeEmail(query.email) ?? query.email.trim().toLowerCase();
      add((p) => `metadata->>'email_hash' = ${p}`, this.audit.emailHash(email));
      const hash = where.pop()!;
      // The account of the address (as actor or target), found through the users table.
      add(
        (p) =>
          `(${hash} OR actor_id IN (SELECT id FROM users WHERE lower(email) = lower(${p}))` +
          ` OR target_id IN (SELECT id::text FROM users WHERE lower(email) = lower(${p})))`,
        email,
      );
    }
    return this.page(where, parameters, query);
  }

  /** The caller's own events (as actor or target) of the last 90 days. */
  activity(userId: string, query: AuditPageQuery): Promise<AuditPageResponse> {
    return this.page(
      [
        '(actor_id = $1::uuid OR target_id = $1::text)',
        `occurred_at > now() - interval '${ACTIVITY_DAYS} days'`,
      ],
      [userId],
      query,
    );
  }

  private async page(
    where: string[],
    parameters: unknown[],
    query: AuditPageQuery,
  ): Promise<AuditPageResponse> {
    const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
    const conditions = [...where];
    const values = [...parameters];
    if (query.cursor) {
      values.push(query.cursor);
      conditions.push(`seq < $${values.length}`);
    }
    values.push(limit + 1);
    const rows = await this.events.query<AuditRow[]>(
      `SELECT seq::text AS seq, id, occurred_at, action, outcome, actor_type, actor_id, target_type,
              target_id, ip, user_agent, request_id, session_id, metadata
       FROM audit_events ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY seq DESC LIMIT $${values.length}`,
      values,
    );
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    return {
      data: shown.map(toAuditEventResponse),
      next_cursor: more ? shown[shown.length - 1].seq : null,
    };
  }
}
