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
export const AUDIT_COLUMNS =
  'action, outcome, actor_type, actor_id, target_type, target_id, ip, user_agent, request_id, session_id, metadata';
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
const COLUMN_COUNT = COLUMN_TYPES.length;

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

/** `$n::type, …` placeholders of row `row` of events numbered from `first`. */
export function auditCellsSql(row: number, first = 1): string {
  const base = first + row * COLUMN_COUNT;
  return COLUMN_TYPES.map((type, column) => `$${base + column}::${type}`).join(', ');
}

/**
 * `INSERT … SELECT * FROM unnest($1::varchar[], …)`: one array per column, so the statement's text
 * is the same for any number of events (PostgreSQL parses 11 parameters, not 11 per row).
 */
export const AUDIT_INSERT_SQL = `INSERT INTO audit_events (${AUDIT_COLUMNS}) SELECT * FROM unnest(${COLUMN_TYPES.map(
  (type, column) => `$${column + 1}::${type}[]`,
).join(', ')})`;

/** The AUDIT_INSERT_SQL parameters of these events: one array per column. */
export function auditColumnArrays(events: readonly AuditRecord[]): unknown[][] {
  const rows = events.map(auditRowParameters);
  return COLUMN_TYPES.map((_, column) => rows.map((row) => row[column]));
}
