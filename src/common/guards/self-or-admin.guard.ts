import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { AppException } from '../errors/app.exception';

/**
 * For routes with an `:id` user parameter: admins may name anyone, others only themselves. A
 * regular user gets the same 403 whether or not the other id exists, so ids cannot be probed.
 */
@Injectable()
export class SelfOrAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ user?: AuthUser; params?: Record<string, string | undefined> }>();
    const user = request.user;
    if (!user) throw AppException.unauthenticated();
    if (user.isStaff) return true;
    const id = request.params?.id;
    if (typeof id === 'string' && id.toLowerCase() === user.id.toLowerCase()) return true;
    throw AppException.forbidden();
  }
}
