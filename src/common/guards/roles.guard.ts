import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Caller, isAdminCaller } from '../auth/auth-user';
import { Role, ROLES_KEY } from '../decorators/roles.decorator';
import { AppException } from '../errors/app.exception';
import { PerRoute } from './per-route';

/** Global, after the JWT guard: routes marked @Roles(...) need the caller to hold one of them. */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly roles = new PerRoute(
    (targets) => this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [],
  );

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.roles.of(context);
    if (roles.length === 0) return true;
    const user = context.switchToHttp().getRequest<{ user?: Caller }>().user;
    // A role-only route that is also @Public() still needs a caller.
    if (!user) throw AppException.unauthenticated();
    if (!roles.some((role) => hasRole(user, role))) throw AppException.forbidden();
    return true;
  }
}

/** `admin`: an admin user, or a service API key with scope `admin`. */
export function hasRole(caller: Caller, role: Role): boolean {
  return role === 'admin' && isAdminCaller(caller);
}
