import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { Algorithm } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { AuthUser } from '../common/auth/auth-user';
import { ACCESS_TOKEN_TYPE, AccessTokenPayload, AccessTokenService } from './access-token.service';
import { SessionStatusService } from './session-status.service';

const AUTHORIZATION = /^(?:bearer|token)\s+([A-Za-z0-9_.-]+)\s*$/i;

/** `Authorization: Bearer <jwt>` or the DRF spelling `Token <jwt>`, any case. */
export function extractAccessToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  return typeof header === 'string' ? (AUTHORIZATION.exec(header)?.[1] ?? null) : null;
}

/** Verifies the access JWT, then asks whether its session is still live (shared cache, then database). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    tokens: AccessTokenService,
    private readonly status: SessionStatusService,
  ) {
    const options = tokens.verifyOptions();
    super({
      jwtFromRequest: extractAccessToken as (request: unknown) => string | null,
      // A KeyObject, so jsonwebtoken does not try to parse the secret as a PEM key on every request.
      secretOrKey: tokens.key as unknown as string,
      algorithms: options.algorithms as Algorithm[],
      issuer: options.issuer as string,
      audience: options.audience as string,
      jsonWebTokenOptions: { clockTolerance: options.clockTolerance },
    });
  }

  async validate(payload: AccessTokenPayload): Promise<AuthUser | false> {
    if (payload.typ !== ACCESS_TOKEN_TYPE || typeof payload.sid !== 'string') return false;
    const live = await this.status.check(payload.sid);
    if (!live || live.userId !== payload.sub) return false;
    return { id: live.userId, sessionId: payload.sid, isStaff: live.isStaff };
  }
}
