import { Injectable } from '@nestjs/common';
import { AccessTokenService } from '../sessions/access-token.service';
import { SessionStatusService } from '../sessions/session-status.service';
import { SessionsService } from '../sessions/sessions.service';
import { IntrospectDto } from './dto/introspect.dto';
import { INACTIVE, IntrospectionResponse } from './dto/introspection.response';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Token introspection (RFC 7662) for services that need a revocation to hold at once. Liveness
 * comes from the same place the JWT guard asks (the session row, through the shared cache whose
 * revocation tombstones every instance sees), so a logout, a reuse detection, a password reset, a
 * deactivation or a ban turns a token inactive from the next request on. Read only: a refresh
 * token is never used or rotated here.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly status: SessionStatusService,
    private readonly sessions: SessionsService,
  ) {}

  async introspect(dto: IntrospectDto): Promise<IntrospectionResponse> {
    // The token's shape decides, not the hint: a JWT is an access token, anything else may be a
    // refresh token (random base64url, no dots).
    return JWT_SHAPE.test(dto.token)
      ? this.introspectAccess(dto.token)
      : this.introspectRefresh(dto.token);
  }

  private async introspectAccess(token: string): Promise<IntrospectionResponse> {
    const payload = await this.accessTokens.verify(token);
    if (!payload || typeof payload.sid !== 'string') return INACTIVE;
    const live = await this.status.check(payload.sid);
    if (!live || live.userId !== payload.sub) return INACTIVE;
    return {
      active: true,
      token_type: 'access_token',
      sub: payload.sub,
      sid: payload.sid,
      role: live.isStaff ? 'admin' : 'user',
      exp: payload.exp,
      iat: payload.iat,
      iss: payload.iss,
      aud: payload.aud,
      jti: payload.jti,
    };
  }

  private async introspectRefresh(token: string): Promise<IntrospectionResponse> {
    const found = await this.sessions.liveRefreshToken(token);
    if (!found) return INACTIVE;
    // The shared cache knows a revocation another instance made before it reached this replica.
    const live = await this.status.check(found.sessionId);
    if (!live) return INACTIVE;
    return {
      active: true,
      token_type: 'refresh_token',
      sub: found.userId,
      sid: found.sessionId,
      exp: Math.floor(found.expiresAt.getTime() / 1000),
    };
  }
}
