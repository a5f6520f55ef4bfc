import { Injectable } from '@nestjs/common';
import { AccessTokenAuthenticator } from '../common/auth/access-token-authenticator';
import { AuthUser } from '../common/auth/auth-user';
import { AccessTokenService } from './access-token.service';
import { SessionStatusService } from './session-status.service';

/** Verifies the access JWT, then asks whether its session is still live (shared cache, then database). */
@Injectable()
export class BearerAuthService implements AccessTokenAuthenticator {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly status: SessionStatusService,
  ) {}

  async authenticate(token: string): Promise<AuthUser | null> {
    const payload = this.tokens.verifySync(token);
    if (!payload) return null;
    const live = await this.status.check(payload.sid);
    if (!live || live.userId !== payload.sub) return null;
    return { id: live.userId, sessionId: payload.sid, isStaff: live.isStaff };
  }
}
