import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokenAuthenticator, requireUser } from '../auth/access-token-authenticator';
import { ApiKeyVerifier, extractApiKey } from '../auth/api-key-verifier';
import { ApiKeyCaller } from '../auth/auth-user';
import { API_KEY_ACCESS, ApiKeyAccess } from '../decorators/api-key-access.decorator';
import { AppException } from '../errors/app.exception';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { Role, ROLES_KEY } from '../decorators/roles.decorator';
import { PerRoute, RouteTargets } from './per-route';

interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: unknown;
}

/** What a route's decorators say to this guard. */
interface RoutePolicy {
  isPublic: boolean;
  apiKeys: ApiKeyAccess | undefined;
}

/**
 * Global and secure by default: every route needs a live access token unless marked @Public().
 * A service API key (`Bearer mgk_…`) gets in only where the route says so (`@AcceptsApiKeys`,
 * `@ApiKeysOnly`, or `@Roles('admin')`, which takes keys with scope `admin`); elsewhere it is 401.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly policies = new PerRoute<RoutePolicy>((targets) => ({
    isPublic: this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true,
    apiKeys: this.apiKeyAccess(targets),
  }));

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyVerifier,
    private readonly accessTokens: AccessTokenAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.policies.of(context);
    // Public routes cost nothing more (liveness probes call one many times a second).
    if (policy.isPublic && policy.apiKeys?.kind !== 'only') return true;
    return this.authenticate(context, policy.apiKeys);
  }

  private async authenticate(
    context: ExecutionContext,
    access: ApiKeyAccess | undefined,
  ): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const key = extractApiKey(request.headers.authorization);
    if (access?.kind === 'only') {
      const caller = key ? await this.apiKeys.verify(key) : null;
      if (!caller?.scopes.includes(access.scope)) throw AppException.unauthenticated();
      request.user = caller;
      return true;
    }
    if (key === null) {
      request.user = await requireUser(this.accessTokens, request.headers.authorization);
      return true;
    }
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
  private apiKeyAccess(targets: RouteTargets): ApiKeyAccess | undefined {
    const declared = this.reflector.getAllAndOverride<ApiKeyAccess | undefined>(
      API_KEY_ACCESS,
      targets,
    );
    if (declared) return declared;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    return roles?.includes('admin') ? { kind: 'accepts', scope: 'admin' } : undefined;
  }
}
