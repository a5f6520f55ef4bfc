import { Inject, Injectable } from '@nestjs/common';
import { KeyObject, randomUUID } from 'node:crypto';
import { sign, verify, VerifyOptions } from 'jsonwebtoken';
import { deriveSecretKeyObject } from '../common/secrets';
import { authConfig, AuthConfig } from './auth.config';
import { secretConfig, SecretConfig } from '../config/secret.config';

export const ACCESS_TOKEN_TYPE = 'access';
const ALGORITHM = 'HS256';

export interface AccessTokenPayload {
  sub: string;
  sid: string;
  typ: typeof ACCESS_TOKEN_TYPE;
}

/** Short-lived JWTs naming their session; the algorithm, issuer and audience are pinned. */
@Injectable()
export class AccessTokenService {
  readonly key: KeyObject;

  constructor(
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    @Inject(secretConfig.KEY) secret: SecretConfig,
  ) {
    this.key = deriveSecretKeyObject(secret.key, 'jwt-access');
  }

  get ttlSeconds(): number {
    return this.config.accessTtlSeconds;
  }

  issue(userId: string, sessionId: string): string {
    const payload: AccessTokenPayload = { sub: userId, sid: sessionId, typ: ACCESS_TOKEN_TYPE };
    return sign(payload, this.key, {
      algorithm: ALGORITHM,
      expiresIn: this.config.accessTtlSeconds,
      issuer: this.config.issuer,
      audience: this.config.audience,
      jwtid: randomUUID(),
    });
  }

  /**
   * The claims of a well-signed, unexpired access token of this issuer and audience, or null.
   * Says nothing about its session: ask SessionStatusService for that.
   */
  verify(token: string): Promise<AccessTokenPayload | null> {
    try {
      const payload = verify(token, this.key, { ...this.verifyOptions(), complete: false });
      if (typeof payload !== 'object' || payload.typ !== ACCESS_TOKEN_TYPE)
        return Promise.resolve(null);
      return Promise.resolve(payload as unknown as AccessTokenPayload);
    } catch {
      return Promise.resolve(null);
    }
  }

  verifyOptions(): VerifyOptions {
    return {
      algorithms: [ALGORITHM],
      issuer: this.config.issuer,
      audience: this.config.audience,
      clockTolerance: this.config.clockToleranceSeconds,
    };
  }
}
