import { AppException } from '../common/errors/app.exception';
import { assertAdminRemains, assertStillAdmin, LAST_ADMIN_MESSAGE } from './user-locks';

function thrown(run: () => void): AppException | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AppException) return error;
    throw error;
  }
  return undefined;
}

describe('assertAdminRemains', () => {
  it('refuses to remove the only active admin (409)', () => {
    const error = thrown(() => assertAdminRemains(['a'], 'a'));
    expect(error?.getStatus()).toBe(409);
    expect(error?.message).toBe(LAST_ADMIN_MESSAGE);
  });

  it('allows removing one of several admins, and removing non-admins', () => {
    expect(thrown(() => assertAdminRemains(['a', 'b'], 'a'))).toBeUndefined();
    expect(thrown(() => assertAdminRemains(['a'], 'someone-else'))).toBeUndefined();
  });
});

describe('assertStillAdmin', () => {
  it('answers 403 when the acting admin lost its rights meanwhile', () => {
    expect(thrown(() => assertStillAdmin(['b'], 'a'))?.getStatus()).toBe(403);
    expect(thrown(() => assertStillAdmin(['a', 'b'], 'a'))).toBeUndefined();
  });
});
