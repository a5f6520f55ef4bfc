import { domainToASCII } from 'node:url';

export const MAX_EMAIL_LENGTH = 254;
export const MAX_LOCAL_PART_LENGTH = 64;

// Control characters, quotes, angle brackets, commas and spaces have no place in an address we mail.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f"'<>,;:\\()[\]\s]/;
const LOCAL_PART = /^[a-z0-9!#$%&*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The one canonical form of an email address: trimmed, Unicode NFC, lower-cased, domain in
 * punycode. Returns undefined for anything we would not mail (see API.md conventions).
 */
export function canonicalizeEmail(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const value = input.trim().normalize('NFC').toLowerCase();
  if (value.length === 0 || value.length > 512 || FORBIDDEN.test(value)) return undefined;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return undefined;
  const local = value.slice(0, at);
  const domain = domainToASCII(value.slice(at + 1));
  if (local.length > MAX_LOCAL_PART_LENGTH || !LOCAL_PART.test(local)) return undefined;
  if (!domain || domain.length > 253) return undefined;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1])) return undefined;
  const email = `${local}@${domain}`;
  return email.length <= MAX_EMAIL_LENGTH ? email : undefined;
}
