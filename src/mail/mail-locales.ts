/** The languages every bundled mail is written in (API.md, "Mail in the reader's language"). */
export const MAIL_LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR'] as const;

export type MailLocale = (typeof MAIL_LOCALES)[number];

/** Right-to-left scripts; none of the bundled locales is one, but an added language may be. */
const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'yi', 'dv', 'ckb']);

/** What a request and an account say about the reader's language, strongest first. */
export interface LocaleHints {
  /** The request's `locale` field, already validated against MAIL_LOCALES. */
  requested?: string | null;
  /** The account's stored `locale`. */
  stored?: string | null;
  /** The request's `Accept-Language` header. */
  acceptLanguage?: string | null;
}

const BY_LOWER = new Map<string, MailLocale>(MAIL_LOCALES.map((l) => [l.toLowerCase(), l]));

/**
 * Primary-language defaults for a bare or regional tag that has no exact bundle: `pt` and
 * `pt-PT` read pt-BR (the one Portuguese bundled).
 */
const LANGUAGE_DEFAULTS = new Map<string, MailLocale>([['pt', 'pt-BR']]);

/** The supported locale spelled as bundled (`PT-br` → `pt-BR`), or undefined. */
export function supportedLocale(tag: string | null | undefined): MailLocale | undefined {
  return tag ? BY_LOWER.get(tag.trim().toLowerCase()) : undefined;
}

export function isRtl(locale: string): boolean {
  return RTL_LANGUAGES.has(locale.split('-')[0].toLowerCase());
}

interface Range {
  tag: string;
  q: number;
  order: number;
}

const MAX_HEADER = 1024;
const MAX_RANGES = 32;

/**
 * `Accept-Language` (RFC 9110 §12.5.4) as language ranges, best first: q-values decide, ties keep
 * header order, q=0 and malformed entries are left out. Bounded, so a huge header costs nothing.
 */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  const ranges: Range[] = [];
  for (const [order, part] of header
    .slice(0, MAX_HEADER)
    .split(',')
    .slice(0, MAX_RANGES)
    .entries()) {
    const [rawTag, ...params] = part.split(';');
    const tag = rawTag.trim();
    if (!/^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$/.test(tag)) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/i.exec(param);
      if (match) q = Math.min(1, Number(match[1]));
      else if (/^\s*q\s*=/i.test(param)) q = -1;
    }
    if (q > 0) ranges.push({ tag, q, order });
  }
  return ranges.sort((a, b) => b.q - a.q || a.order - b.order).map((range) => range.tag);
}

/**
 * RFC 4647 §3.4 lookup of each range in turn, best first: the range itself, then shorter and
 * shorter prefixes (`fr-CA` → `fr`, `de-CH-1996` → `de-CH` → `de`), with `pt` → `pt-BR`. `*`
 * matches nothing here: the caller's default applies.
 */
export function lookupLocale(header: string | null | undefined): MailLocale | undefined {
  for (const range of parseAcceptLanguage(header)) {
    const subtags = range.split('-');
    while (subtags.length > 0) {
      const candidate = subtags.join('-');
      const found = supportedLocale(candidate) ?? LANGUAGE_DEFAULTS.get(candidate.toLowerCase());
      if (found) return found;
      subtags.pop();
      // A single-letter subtag (x-, extension) is never left at the end of a prefix.
      if (subtags.length > 0 && subtags[subtags.length - 1].length === 1) subtags.pop();
    }
  }
  return undefined;
}

/** The request's field, else the account's locale, else Accept-Language, else the default. */
export function resolveLocale(hints: LocaleHints, fallback: MailLocale): MailLocale {
  return (
    supportedLocale(hints.requested) ??
    supportedLocale(hints.stored) ??
    lookupLocale(hints.acceptLanguage) ??
    fallback
  );
}
