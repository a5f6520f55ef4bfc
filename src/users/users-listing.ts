/** The sort keys `ordering` accepts, and the SQL they sort by (each backed by an index). */
export const ORDERING_FIELDS = ['created_at', 'email', 'full_name', 'last_login'] as const;
export type OrderingField = (typeof ORDERING_FIELDS)[number];

export interface SortKey {
  field: OrderingField;
  descending: boolean;
}

export const DEFAULT_ORDERING: SortKey[] = [{ field: 'created_at', descending: true }];
const MAX_SORT_KEYS = ORDERING_FIELDS.length;

/** `"-created_at,email"` → sort keys; null when any part is not on the allow-list or repeats. */
export function parseOrdering(value: unknown): SortKey[] | null {
  if (typeof value !== 'string') return null;
  const parts = value.split(',').map((part) => part.trim());
  if (parts.length > MAX_SORT_KEYS) return null;
  const keys: SortKey[] = [];
  for (const part of parts) {
    const descending = part.startsWith('-');
    const field = (descending ? part.slice(1) : part) as OrderingField;
    if (!ORDERING_FIELDS.includes(field) || keys.some((key) => key.field === field)) return null;
    keys.push({ field, descending });
  }
  return keys;
}

/** `%term%` for LIKE, with the term's own wildcards escaped. */
export function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
}
