import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';

/**
 * Addresses a webhook may never reach (SSRF): loopback, private, carrier-grade NAT, link-local
 * (cloud metadata at 169.254.169.254 and fd00:ec2::254 included), multicast and reserved ranges.
 */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const)
  BLOCKED.addSubnet(network, prefix, 'ipv6');

/** IPv4 carried inside IPv6 (`::ffff:10.0.0.1`, NAT64 `64:ff9b::a00:1`) is judged as IPv4. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIpv4(address);
  return v4 !== null ? BLOCKED.check(v4, 'ipv4') : BLOCKED.check(address, 'ipv6');
}

export const URL_INVALID = 'Enter a valid http(s) URL.';
export const URL_REFUSED =
  'This URL points to a loopback, private, link-local or metadata address.';

/** The URL's host without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Checks a target at creation: http(s) only, no credentials, and (unless private networks are
 * allowed) no address that is or resolves to a blocked one. A name that does not resolve yet is
 * accepted: delivery checks again after resolution. Returns a problem sentence or null.
 */
export async function targetProblem(raw: string, allowPrivate: boolean): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return URL_INVALID;
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password)
    return URL_INVALID;
  if (allowPrivate) return null;
  const host = hostOf(url);
  if (isIP(host)) return isBlockedAddress(host) ? URL_REFUSED : null;
  // A trailing dot names the same host ("localhost." is localhost).
  const name = host.replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return URL_REFUSED;
  try {
    const addresses = await lookup(host, { all: true, verbatim: true });
    return addresses.some((entry) => isBlockedAddress(entry.address)) ? URL_REFUSED : null;
  } catch {
    return null;
  }
}

export class RefusedTargetError extends Error {
  constructor(host: string) {
    super(`refused: ${host} resolves to a blocked address`);
    this.name = 'RefusedTargetError';
  }
}

/**
 * A `lookup` for http.request that resolves, refuses if any address is blocked, and connects to
 * the very address it checked (so a DNS answer that changes between check and connect cannot
 * slip through).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { all: true, verbatim: true })
      .then((addresses) => {
        if (!allowPrivate && addresses.some((entry) => isBlockedAddress(entry.address)))
          throw new RefusedTargetError(hostname);
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const chosen =
          addresses.find((entry) => !wanted || entry.family === wanted) ?? addresses[0];
        if (!chosen) throw new RefusedTargetError(hostname);
        if (options.all) callback(null, [chosen]);
        else callback(null, chosen.address, chosen.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
}

/** For a literal IP target, no lookup happens: the check is made here before connecting. */
export function literalRefused(raw: string, allowPrivate: boolean): boolean {
  const host = hostOf(new URL(raw));
  return !allowPrivate && isIP(host) !== 0 && isBlockedAddress(host);
}
