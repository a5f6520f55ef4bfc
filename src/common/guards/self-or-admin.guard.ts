import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Caller, isAdminCaller, isApiKeyCaller } from '../auth/auth-user';
import { AppException } from '../errors/app.exception';

/**
 * For routes with an `:id` user parameter: admins and `admin` API keys may name anyone, others
 * only themselves. A regular user gets the same 403 whether or not the other id exists, so ids
 * cannot be probed.
 */
@Injectable()
export class SelfOrAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ user?: Caller; params?: Record<string, string | undefined> }>();
    const user = request.user;
    if (!user) throw AppException.unauthenticated();
    if (isAdminCaller(user)) return true;
    // A key without scope `admin` is nobody's self.
    if (isApiKeyCaller(user)) throw AppException.forbidden();
    const id = request.params?.id;
    if (typeof id === 'string' && id.toLowerCase() === user.id.toLowerCase()) return true;
    throw AppException.forbidden();
  }
}
