/** Small typed readers for environment variables that collect every problem before failing. */
export class EnvReader {
  readonly errors: string[] = [];

  constructor(private readonly env: Record<string, string | undefined>) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optional(name: string): string | undefined {
    return this.raw(name);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      return this.fail(name, `must be a whole number from ${min} to ${max}`, value, fallback);
    }
    return parsed;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    return this.fail(name, 'must be true or false', value, fallback);
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    return this.fail(name, `must be one of ${allowed.join(', ')}`, value, fallback);
  }

  /** Whole seconds (`900`) or a number with a unit (`15m`, `1d`); returns seconds. */
  duration(name: string, fallback: string, minSeconds = 1): number {
    const value = this.raw(name) ?? fallback;
    const seconds = parseDuration(value);
    if (seconds === undefined || seconds < minSeconds) {
      return this.fail(
        name,
        `must be whole seconds or a number with a unit s, m, h or d (at least ${minSeconds}s)`,
        value,
        parseDuration(fallback) ?? minSeconds,
      );
    }
    return seconds;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
        return this.fail(
          name,
          `must be a ${protocols.join(' or ')} URL`,
          redactUrl(value),
          undefined,
        );
      }
      return value;
    } catch {
      return this.fail(name, 'must be a valid URL', redactUrl(value), undefined);
    }
  }

  list(name: string): string[] {
    const value = this.raw(name);
    return value === undefined
      ? []
      : value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0);
  }

  fail<T>(name: string, problem: string, got: string, fallback: T): T {
    this.errors.push(`${name} ${problem} (got "${got}")`);
    return fallback;
  }

  require(name: string, why: string): void {
    if (this.raw(name) === undefined) this.errors.push(`${name} is required ${why}`);
  }
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function parseDuration(value: string): number | undefined {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(value.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2] || 's').toLowerCase();
  const seconds = amount * UNIT_SECONDS[unit];
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

function redactUrl(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@');
}
