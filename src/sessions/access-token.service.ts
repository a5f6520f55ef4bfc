import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_TYP, decodeJws, DecodedJws, signJws, verifySignature } from '../keys/jws';
import { KeyringService, Signer } from '../keys/keyring.service';
import { authConfig, AuthConfig } from './auth.config';

export type AccessTokenRole = 'admin' | 'user';

/** The claims of a MailGuard access token (JOSE header: alg, kid, typ "at+jwt"). */
export interface AccessTokenPayload {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  jti: string;
  sid: string;
  role: AccessTokenRole;
}

/** Verified tokens kept at most this many at once (oldest dropped first). */
const VERIFIED_CACHE_SIZE = 5_000;

interface Verified {
  payload: AccessTokenPayload;
  kid: string | undefined;
}

const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * Short-lived JWTs naming their session, signed by the keyring's active key (ES256, EdDSA or
 * RS256; HS256 only with the legacy setting) through `@nestjs/jwt`, except EdDSA, which
 * jsonwebtoken (under `@nestjs/jwt`) does not implement: `keys/jws.ts` signs and checks those.
 * Verification lets the key, found by `kid`, decide the algorithm; pins `typ`, `iss` and `aud`. Signature checks of asymmetric keys cost more CPU
 * than HMAC, so verdicts are remembered per token (bounded) until the token expires or its key
 * leaves JWKS; whether the session is still live is asked on every request by the caller.
 */
@Injectable()
export class AccessTokenService {
  private readonly verified = new Map<string, Verified>();

  constructor(
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    private readonly keyring: KeyringService,
    private readonly jwt: JwtService,
  ) {}

  get ttlSeconds(): number {
    return this.config.accessTtlSeconds;
  }

  issue(userId: string, sessionId: string, role: AccessTokenRole): string {
    const iat = Math.floor(Date.now() / 1000);
    const payload: AccessTokenPayload = {
      iss: this.config.issuer,
      sub: userId,
      aud: this.config.audience,
      exp: iat + this.config.accessTtlSeconds,
      iat,
      jti: randomUUID(),
      sid: sessionId,
      role,
    };
    const signer = this.keyring.activeSigner();
    const header = {
      alg: signer.alg,
      typ: ACCESS_TOKEN_TYP,
      ...(signer.kid && { kid: signer.kid }),
    };
    if (signer.alg === 'EdDSA') return signJws(header, payload, signer.key, signer.alg);
    // Keys are KeyObjects parsed once: a PEM or string secret would be parsed on every call.
    return this.jwt.sign(payload, { algorithm: signer.alg, header, privateKey: signer.key });
  }

  /** The claims of a valid access token (signature, kid, typ, iss, aud, exp), else null. */
  verify(token: string): Promise<AccessTokenPayload | null> {
    return Promise.resolve(this.verifySync(token));
  }

  verifySync(token: string): AccessTokenPayload | null {
    const nowSeconds = Date.now() / 1000;
    const cached = this.verified.get(token);
    if (cached) {
      if (this.isCurrent(cached.payload, nowSeconds) && this.keyring.isPublished(cached.kid))
        return cached.payload;
      this.verified.delete(token);
    }
    const jws = decodeJws(token);
    if (!jws || jws.header.typ?.toLowerCase() !== ACCESS_TOKEN_TYP) return null;
    const verifier = this.keyring.verifierFor(jws.header);
    if (!verifier || !this.signatureHolds(token, jws, verifier)) return null;
    const payload = this.checkClaims(jws.payload, nowSeconds);
    if (!payload) return null;
    if (this.verified.size >= VERIFIED_CACHE_SIZE)
      this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { payload, kid: verifier.kid });
    return payload;
  }

  /** The one algorithm the key allows; claims are checked by `checkClaims` either way. */
  private signatureHolds(token: string, jws: DecodedJws, verifier: Signer): boolean {
    if (verifier.alg === 'EdDSA') return verifySignature(jws, verifier.alg, verifier.key);
    try {
      this.jwt.verify(token, {
        algorithms: [verifier.alg],
        // Typed string | Buffer by @nestjs/jwt, passed as is to jsonwebtoken, which takes a KeyObject.
        publicKey: verifier.key as unknown as Buffer,
        // Times are checked with the configured tolerance in checkClaims, for every algorithm.
        ignoreExpiration: true,
        ignoreNotBefore: true,
      });
      return true;
    } catch {
      return false;
    }
  }

  private isCurrent(payload: AccessTokenPayload, nowSeconds: number): boolean {
    return payload.exp + this.config.clockToleranceSeconds > nowSeconds;
  }

  private checkClaims(
    claims: Record<string, unknown>,
    nowSeconds: number,
  ): AccessTokenPayload | null {
    const { iss, sub, aud, exp, iat, jti, sid, role, nbf } = claims;
    const tolerance = this.config.clockToleranceSeconds;
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (iss !== this.config.issuer || !audiences.includes(this.config.audience)) return null;
    if (!isString(sub) || !isString(sid) || !isString(jti)) return null;
    if (role !== 'admin' && role !== 'user') return null;
    if (!isTime(exp) || !isTime(iat) || iat > nowSeconds + tolerance) return null;
    if (nbf !== undefined && (!isTime(nbf) || nbf > nowSeconds + tolerance)) return null;
    const payload: AccessTokenPayload = {
      ...{ iss, sub, aud: this.config.audience, exp, iat, jti, sid },
      role,
    };
    return this.isCurrent(payload, nowSeconds) ? payload : null;
  }
}
