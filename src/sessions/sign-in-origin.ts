import { isIPv4, isIPv6 } from 'node:net';

/** Where a session was opened from, as the new sign-in notice compares it (API.md). */
export interface SignInOrigin {
  /** IPv4 /24 or IPv6 /48 of the client, e.g. `203.0.113.0/24`; null without an IP. */
  network: string | null;
  /** The browser family of the user agent (`Firefox`, `Chrome`, …), `Other` when unknown. */
  browser: string;
}

export function signInOrigin(ip: string | null, userAgent: string | null): SignInOrigin {
  return { network: networkOf(ip), browser: browserFamilyOf(userAgent) };
}

export function networkOf(ip: string | null): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = mapped ? mapped[1] : ip;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(ip)) return null;
  const groups = expandIPv6(ip.split('%')[0]);
  return `${groups.slice(0, 3).join(':')}::/48`;
}

/** The eight hextets of an IPv6 address, without leading zeros (an embedded IPv4 tail counts as two). */
function expandIPv6(ip: string): string[] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const part = (s: string | undefined): string[] =>
    s ? s.split(':').flatMap((g) => (g.includes('.') ? ipv4Hextets(g) : [g])) : [];
  const left = part(head);
  const right = part(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}

function ipv4Hextets(v4: string): string[] {
  const [a, b, c, d] = v4.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

/** Order matters: Edge and Opera say "Chrome", Chrome says "Safari". */
const FAMILIES: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bcurl\//, 'curl'],
];

export function browserFamilyOf(userAgent: string | null): string {
  if (!userAgent) return 'Other';
  return FAMILIES.find(([pattern]) => pattern.test(userAgent))?.[1] ?? 'Other';
}
