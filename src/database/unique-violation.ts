import { QueryFailedError } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** The statement broke a unique index: someone else wrote the same key a moment ago. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
  );
}
