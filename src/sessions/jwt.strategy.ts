import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-strategy';
import { AuthUser } from '../common/auth/auth-user';
import { AccessTokenService } from './access-token.service';
import { SessionStatusService } from './session-status.service';

const AUTHORIZATION = /^(?:bearer|token)\s+([A-Za-z0-9_.-]+)\s*$/i;

/** `Authorization: Bearer <jwt>` or the DRF spelling `Token <jwt>`, any case. */
export function extractAccessToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  return typeof header === 'string' ? (AUTHORIZATION.exec(header)?.[1] ?? null) : null;
}

type Done = (error: unknown, user?: AuthUser | false) => void;

/**
 * A Passport strategy that hands the bearer token to `validate`. passport-jwt verifies through
 * jsonwebtoken, which has no EdDSA and picks keys by static options; AccessTokenService.verify
 * is the one verification of access tokens, here and in token introspection.
 */
class BearerTokenStrategy extends Strategy {
  constructor(private readonly verifyToken: (token: string, done: Done) => void) {
    super();
  }

  // Nest's Fastify adapter hands Passport the Fastify request.
  override authenticate(request: unknown): void {
    const token = extractAccessToken(request as FastifyRequest);
    if (!token) return this.fail(401);
    this.verifyToken(token, (error, user) => {
      if (error) return this.error(error as Error);
      if (!user) return this.fail(401);
      this.success(user);
    });
  }
}

/** Verifies the access JWT, then asks whether its session is still live (shared cache, then database). */
@Injectable()
export class JwtStrategy extends PassportStrategy(BearerTokenStrategy, 'jwt') {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly status: SessionStatusService,
  ) {
    super();
  }

  async validate(token: string): Promise<AuthUser | false> {
    const payload = this.tokens.verifySync(token);
    if (!payload) return false;
    const live = await this.status.check(payload.sid);
    if (!live || live.userId !== payload.sub) return false;
    return { id: live.userId, sessionId: payload.sid, isStaff: live.isStaff };
  }
}
