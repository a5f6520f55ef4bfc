import { Reflector } from '@nestjs/core';
import { AuthUser } from '../auth/auth-user';
import { Role, ROLES_KEY } from '../decorators/roles.decorator';
import { httpContext, statusOf } from '../../../test/support/doubles/http-context.double';
import { RolesGuard } from './roles.guard';

const admin: AuthUser = { id: 'a', sessionId: 's1', isStaff: true };
const member: AuthUser = { id: 'm', sessionId: 's2', isStaff: false };

/** A Reflector double answering the roles metadata the way @Roles would set it. */
function reflectorWith(roles: Role[] | undefined): Reflector {
  return {
    getAllAndOverride: (key: string) => (key === ROLES_KEY ? roles : undefined),
  } as unknown as Reflector;
}

describe('RolesGuard', () => {
  it('lets every caller through routes without @Roles', () => {
    const guard = new RolesGuard(reflectorWith(undefined));
    expect(guard.canActivate(httpContext({ user: member }))).toBe(true);
    expect(guard.canActivate(httpContext({}))).toBe(true);
  });

  it('lets admins through @Roles("admin")', () => {
    const guard = new RolesGuard(reflectorWith(['admin']));
    expect(guard.canActivate(httpContext({ user: admin }))).toBe(true);
  });

  it('answers 403 to regular users on @Roles("admin")', () => {
    const guard = new RolesGuard(reflectorWith(['admin']));
    expect(statusOf(() => guard.canActivate(httpContext({ user: member })))).toBe(403);
  });

  it('answers 401 when no one is signed in (a role route must never be public)', () => {
    const guard = new RolesGuard(reflectorWith(['admin']));
    expect(statusOf(() => guard.canActivate(httpContext({})))).toBe(401);
  });

  it('reads the metadata of the handler before the class', () => {
    const calls: unknown[] = [];
    const reflector = {
      getAllAndOverride: (_key: string, targets: unknown[]) => {
        calls.push(targets);
        return undefined;
      },
    } as unknown as Reflector;
    const handler = () => undefined;
    new RolesGuard(reflector).canActivate(httpContext({ user: member }, handler));
    expect((calls[0] as unknown[])[0]).toBe(handler);
  });
});
