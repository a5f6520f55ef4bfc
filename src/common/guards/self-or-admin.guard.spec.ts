import { AuthUser } from '../auth/auth-user';
import { httpContext, statusOf } from '../../../test/support/doubles/http-context.double';
import { SelfOrAdminGuard } from './self-or-admin.guard';

const SELF = '3f0e8a5e-3c4b-4a8e-9a39-0c8f3d6f8a11';
const OTHER = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const member: AuthUser = { id: SELF, sessionId: 's', isStaff: false };
const admin: AuthUser = { id: OTHER, sessionId: 's', isStaff: true };

describe('SelfOrAdminGuard', () => {
  const guard = new SelfOrAdminGuard();

  it('lets users reach their own id, in any letter case', () => {
    expect(guard.canActivate(httpContext({ user: member, params: { id: SELF } }))).toBe(true);
    expect(
      guard.canActivate(httpContext({ user: member, params: { id: SELF.toUpperCase() } })),
    ).toBe(true);
  });

  it('lets admins reach any id, existing or not, well-formed or not', () => {
    for (const id of [SELF, OTHER, 'not-a-uuid'])
      expect(guard.canActivate(httpContext({ user: admin, params: { id } }))).toBe(true);
  });

  it('answers 403 to a regular user naming another id, whether or not it exists', () => {
    for (const id of [OTHER, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', ''])
      expect(statusOf(() => guard.canActivate(httpContext({ user: member, params: { id } })))).toBe(
        403,
      );
  });

  it('answers 403 when the route has no id at all (misuse stays closed)', () => {
    expect(statusOf(() => guard.canActivate(httpContext({ user: member, params: {} })))).toBe(403);
  });

  it('answers 401 without a caller', () => {
    expect(statusOf(() => guard.canActivate(httpContext({ params: { id: SELF } })))).toBe(401);
  });
});
