import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

/** The audit log (API.md "Audit log"). */
export interface AuditConfig {
  /** Rows older than this many days are removed by the retention job. */
  retentionDays: number;
}

export const auditConfig = configToken('audit');

export function readAuditConfig(r: EnvReader): AuditConfig {
  return { retentionDays: r.int('AUDIT_RETENTION_DAYS', 400, 1, 36_500) };
}
