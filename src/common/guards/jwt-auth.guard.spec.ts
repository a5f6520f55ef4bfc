import { Reflector } from '@nestjs/core';
import { AccessTokenAuthenticator } from '../auth/access-token-authenticator';
import { ApiKeyVerifier } from '../auth/api-key-verifier';
import { ApiKeyCaller } from '../auth/auth-user';
import { API_KEY_ACCESS, ApiKeyAccess } from '../decorators/api-key-access.decorator';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { ROLES_KEY } from '../decorators/roles.decorator';
import { httpContext } from '../../../test/support/doubles/http-context.double';
import { JwtAuthGuard } from './jwt-auth.guard';

const ADMIN_KEY = 'mgk_adminadminadminadminadminadminadminadmin';
const INTROSPECT_KEY = 'mgk_introspectintrospectintrospectintrospect';
const callers: Record<string, ApiKeyCaller> = {
  [ADMIN_KEY]: { apiKeyId: 'k1', name: 'a', scopes: ['admin'] },
  [INTROSPECT_KEY]: { apiKeyId: 'k2', name: 'i', scopes: ['introspect'] },
};
const verifier: ApiKeyVerifier = { verify: (key) => Promise.resolve(callers[key] ?? null) };
const noUsers: AccessTokenAuthenticator = { authenticate: () => Promise.resolve(null) };

function guardFor(metadata: { access?: ApiKeyAccess; admin?: boolean; public?: boolean }) {
  const reflector = {
    getAllAndOverride: (key: string) =>
      ({
        [API_KEY_ACCESS]: metadata.access,
        [ROLES_KEY]: metadata.admin ? ['admin'] : undefined,
        [IS_PUBLIC_KEY]: metadata.public,
      })[key],
  } as unknown as Reflector;
  return new JwtAuthGuard(reflector, verifier, noUsers);
}

/** The status the guard answers with for `Authorization: Bearer <key>`; 200 when it lets it in. */
async function statusFor(guard: JwtAuthGuard, key: string | null): Promise<number> {
  const request = { headers: key ? { authorization: `Bearer ${key}` } : {} };
  try {
    await guard.canActivate(httpContext(request));
    return 200;
  } catch (error) {
    return (error as { getStatus(): number }).getStatus();
  }
}

describe('JwtAuthGuard and service API keys', () => {
  it('answers 401 to a key on routes that say nothing about keys (a key is never a user)', async () => {
    expect(await statusFor(guardFor({}), ADMIN_KEY)).toBe(401);
  });

  it('lets admin keys through @Roles("admin"), 403 without the scope, 401 when unknown', async () => {
    const guard = guardFor({ admin: true });
    expect(await statusFor(guard, ADMIN_KEY)).toBe(200);
    expect(await statusFor(guard, INTROSPECT_KEY)).toBe(403);
    expect(await statusFor(guard, 'mgk_unknownunknownunknownunknownunknownunkno')).toBe(401);
  });

  it('follows @AcceptsApiKeys on routes without roles', async () => {
    const guard = guardFor({ access: { kind: 'accepts', scope: 'admin' } });
    expect(await statusFor(guard, ADMIN_KEY)).toBe(200);
    expect(await statusFor(guard, INTROSPECT_KEY)).toBe(403);
  });

  it('refuses every key with 403 on @RefusesApiKeys, even on an admin route', async () => {
    const guard = guardFor({ admin: true, access: { kind: 'refused' } });
    expect(await statusFor(guard, ADMIN_KEY)).toBe(403);
  });

  it('takes only a key with the scope on @ApiKeysOnly: anything else is 401', async () => {
    const guard = guardFor({ access: { kind: 'only', scope: 'introspect' } });
    expect(await statusFor(guard, INTROSPECT_KEY)).toBe(200);
    expect(await statusFor(guard, ADMIN_KEY)).toBe(401);
    expect(await statusFor(guard, null)).toBe(401);
  });

  it('leaves public routes public', async () => {
    expect(await statusFor(guardFor({ public: true }), null)).toBe(200);
  });
});
