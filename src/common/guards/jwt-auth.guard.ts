import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiKeyVerifier, extractApiKey } from '../auth/api-key-verifier';
import { ApiKeyCaller } from '../auth/auth-user';
import { API_KEY_ACCESS, ApiKeyAccess } from '../decorators/api-key-access.decorator';
import { AppException } from '../errors/app.exception';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { Role, ROLES_KEY } from '../decorators/roles.decorator';

interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: unknown;
}

/**
 * Global and secure by default: every route needs a live access token unless marked @Public().
 * A service API key (`Bearer mgk_…`) gets in only where the route says so (`@AcceptsApiKeys`,
 * `@ApiKeysOnly`, or `@Roles('admin')`, which takes keys with scope `admin`); elsewhere it is 401.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyVerifier,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const access = this.apiKeyAccess(targets);
    const key = extractApiKey(request.headers.authorization);
    if (access?.kind === 'only') {
      const caller = key ? await this.apiKeys.verify(key) : null;
      if (!caller?.scopes.includes(access.scope)) throw AppException.unauthenticated();
      request.user = caller;
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    if (key === null) return (await super.canActivate(context)) as boolean;
    // A key is never a user: routes that take none answer it as they answer a bad token.
    if (access === undefined) throw AppException.unauthenticated();
    request.user = await this.apiKeyCaller(key, access);
    return true;
  }

  private async apiKeyCaller(key: string, access: ApiKeyAccess): Promise<ApiKeyCaller> {
    const caller = await this.apiKeys.verify(key);
    if (!caller) throw AppException.unauthenticated();
    if (access.kind === 'refused' || !caller.scopes.includes(access.scope))
      throw AppException.forbidden();
    return caller;
  }

  /** What the route says about API keys; admin-only routes take keys with scope `admin`. */
  private apiKeyAccess(
    targets: ReturnType<ExecutionContext['getHandler']>[],
  ): ApiKeyAccess | undefined {
    const declared = this.reflector.getAllAndOverride<ApiKeyAccess | undefined>(
      API_KEY_ACCESS,
      targets,
    );
    if (declared) return declared;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    return roles?.includes('admin') ? { kind: 'accepts', scope: 'admin' } : undefined;
  }

  override handleRequest<T>(error: unknown, user: T): T {
    // Infrastructure failures (database, cache) surface as themselves; bad tokens become 401.
    if (error instanceof Error && error.name !== 'UnauthorizedException') throw error;
    if (!user) throw AppException.unauthenticated();
    return user;
  }
}
