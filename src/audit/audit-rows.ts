import type { Owned } from '../database/for-each-step';
import { columnArrays, unnestInsertSql } from '../database/unnest-insert';

/** What a row is made of: the shape of events' DomainEvent, which this module does not import. */
export interface AuditRecord {
  action: string;
  outcome?: string;
  actor: { type: string; id: string | null };
  target?: { type: string; id: string };
  context?: {
    ip: string | null;
    userAgent: string | null;
    requestId?: string;
    sessionId?: string | null;
  };
  metadata?: Record<string, unknown>;
}

/** The columns every insert names, in the order auditRowParameters() gives the values. */
const AUDIT_COLUMN_NAMES = [
  'action',
  'outcome',
  'actor_type',
  'actor_id',
  'target_type',
  'target_id',
  'ip',
  'user_agent',
  'request_id',
  'session_id',
  'metadata',
];
export const AUDIT_COLUMNS = AUDIT_COLUMN_NAMES.join(', ');
// Cast, so the placeholders also type inside `INSERT … SELECT` steps of a larger statement.
const COLUMN_TYPES = [
  'varchar',
  'varchar',
  'varchar',
  'uuid',
  'varchar',
  'varchar',
  'varchar',
  'varchar',
  'varchar',
  'uuid',
  'jsonb',
];

// Names that must never reach a row, whoever passed them (defence in depth: callers pass none).
const SECRET_KEY = /pass|otp|code|token|secret|refresh|access|key|body/i;

/** The metadata as stored: no key that could hold a secret, except the keyed email hash. */
export function safeMetadata(metadata: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(metadata).filter(([key]) => key === 'email_hash' || !SECRET_KEY.test(key)),
  );
}

/** One event's values, in AUDIT_COLUMNS order. */
export function auditRowParameters(event: AuditRecord): unknown[] {
  const context = event.context;
  return [
    event.action,
    event.outcome ?? 'success',
    event.actor.type,
    event.actor.id,
    event.target?.type ?? null,
    event.target?.id ?? null,
    context?.ip?.slice(0, 64) ?? null,
    context?.userAgent?.slice(0, 255) ?? null,
    context?.requestId?.slice(0, 100) ?? null,
    context?.sessionId ?? null,
    JSON.stringify(safeMetadata(event.metadata)),
  ];
}

/**
 * A step of a caller's statement that writes several requests' events: each row only when `from`
 * (CTEs of that statement) has a row whose `owner` column is the event's owner; in the events'
 * order. Parameters from `$first`, as auditOwnedArrays() gives them (the same text for any number).
 */
export function auditInsertForEachSql(from: string, owner: string, first: number): string {
  const arrays = [...COLUMN_TYPES, 'int']
    .map((type, column) => `$${first + column}::${type}[]`)
    .join(', ');
  const cells = AUDIT_COLUMN_NAMES.map((name) => `e.${name}`).join(', ');
  return `INSERT INTO audit_events (${AUDIT_COLUMNS})
    SELECT ${cells} FROM unnest(${arrays}) WITH ORDINALITY AS e(${AUDIT_COLUMNS}, owner, ord)
    JOIN ${from} ON ${owner} = e.owner ORDER BY e.ord`;
}

export const AUDIT_OWNED_PARAMETERS = COLUMN_TYPES.length + 1;

export function auditOwnedArrays(events: readonly Owned<AuditRecord>[]): unknown[][] {
  return columnArrays(
    events.map(({ owner, event }) => [...auditRowParameters(event), owner]),
    AUDIT_OWNED_PARAMETERS,
  );
}

/** One INSERT for any number of events (see unnestInsertSql); its parameters: auditColumnArrays. */
export const AUDIT_INSERT_SQL = unnestInsertSql('audit_events', AUDIT_COLUMN_NAMES, COLUMN_TYPES);

export function auditColumnArrays(events: readonly AuditRecord[]): unknown[][] {
  return columnArrays(events.map(auditRowParameters), COLUMN_TYPES.length);
}
