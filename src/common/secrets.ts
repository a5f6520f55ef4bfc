import { createHmac, createSecretKey, hkdfSync, KeyObject } from 'node:crypto';

/** Derives an independent key per purpose from SECRET_KEY, so no two uses share key material. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'mailguard', purpose, 32));
}

/** A KeyObject verifies JWTs far faster than a string secret (no attempt to parse it as a PEM). */
export function deriveSecretKeyObject(secret: string, purpose: string): KeyObject {
  return createSecretKey(deriveKey(secret, purpose));
}

export function hmacHex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('hex');
}
