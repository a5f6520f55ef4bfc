import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign as cryptoSign,
  timingSafeEqual,
  verify as cryptoVerify,
} from 'node:crypto';
import { AccessTokenAlgorithm, SigningAlgorithm } from './keys.config';

/**
 * Compact JWS with node:crypto and KeyObjects parsed once: ES256 (P-256, IEEE P1363 signatures),
 * EdDSA (Ed25519), RS256 and the legacy HS256. jsonwebtoken (and so @nestjs/jwt) has no EdDSA,
 * hence this small module; it does exactly one thing per algorithm and nothing by negotiation:
 * the verifier names the one algorithm the key may be used with, never the token.
 */
export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface JoseHeader {
  alg: string;
  typ?: string;
  kid?: string;
  [name: string]: unknown;
}

export interface DecodedJws {
  header: JoseHeader;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseSegment(segment: string): Record<string, unknown> | null {
  if (!SEGMENT.test(segment)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Splits and parses a compact JWS without trusting anything in it; null when malformed. */
export function decodeJws(token: string): DecodedJws | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !SEGMENT.test(parts[2])) return null;
  const header = parseSegment(parts[0]);
  const payload = parseSegment(parts[1]);
  if (!header || !payload || typeof header.alg !== 'string') return null;
  return {
    header: header as JoseHeader,
    payload,
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: Buffer.from(parts[2], 'base64url'),
  };
}

export function signJws(
  header: JoseHeader,
  payload: object,
  key: KeyObject,
  alg: AccessTokenAlgorithm,
): string {
  const input = `${encode({ ...header, alg })}.${encode(payload)}`;
  return `${input}.${signBytes(alg, Buffer.from(input), key).toString('base64url')}`;
}

function signBytes(alg: AccessTokenAlgorithm, data: Buffer, key: KeyObject): Buffer {
  switch (alg) {
    case 'ES256':
      return cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'RS256':
      return cryptoSign('sha256', data, key);
    case 'EdDSA':
      return cryptoSign(null, data, key);
    case 'HS256':
      return createHmac('sha256', key).update(data).digest();
  }
}

/** True only when the signature is `alg`'s over the signing input with this key. */
export function verifySignature(
  jws: DecodedJws,
  alg: AccessTokenAlgorithm,
  key: KeyObject,
): boolean {
  if (jws.header.alg !== alg) return false;
  const data = Buffer.from(jws.signingInput);
  try {
    switch (alg) {
      case 'ES256':
        return (
          jws.signature.length === 64 &&
          cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, jws.signature)
        );
      case 'RS256':
        return cryptoVerify('sha256', data, key, jws.signature);
      case 'EdDSA':
        return jws.signature.length === 64 && cryptoVerify(null, data, key, jws.signature);
      case 'HS256': {
        const expected = createHmac('sha256', key).update(data).digest();
        return expected.length === jws.signature.length && timingSafeEqual(expected, jws.signature);
      }
    }
  } catch {
    return false;
  }
}

/** A new private key for `alg`. */
export function generatePrivateKey(alg: SigningAlgorithm): KeyObject {
  switch (alg) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'EdDSA':
      return generateKeyPairSync('ed25519').privateKey;
    case 'RS256':
      return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  }
}

const PUBLIC_MEMBERS: Record<string, string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/** The public JWK of a key (private or public): only the public members, never d, p, q… */
export function publicJwkOf(key: KeyObject): Record<string, string> {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({
    format: 'jwk',
  });
  const members = PUBLIC_MEMBERS[String(jwk.kty)];
  if (!members) throw new Error(`Unsupported key type ${String(jwk.kty)}`);
  return Object.fromEntries(members.map((name) => [name, String(jwk[name])]));
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
export function thumbprintOf(publicJwk: Record<string, string>): string {
  const members = PUBLIC_MEMBERS[publicJwk.kty];
  const canonical = JSON.stringify(Object.fromEntries(members.map((m) => [m, publicJwk[m]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

export function publicKeyFromJwk(publicJwk: Record<string, string>): KeyObject {
  return createPublicKey({ key: publicJwk, format: 'jwk' });
}

export function privateKeyFromDer(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

export function privateKeyToDer(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'pkcs8' });
}
