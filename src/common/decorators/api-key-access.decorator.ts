import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ApiKeyScope } from '../auth/auth-user';

export const API_KEY_ACCESS = 'apiKeyAccess';

/** The same in the OpenAPI document, where swagger.ts turns it into the operation's security. */
export const API_KEY_OPERATION = 'x-api-key-access';

/**
 * Which service API keys a route takes. Without this metadata a key gets 401 (a key is never a
 * user), except on `@Roles('admin')` routes, which take keys with scope `admin`.
 * - `accepts`: users as usual, or a key holding `scope` (403 without it).
 * - `only`: nothing but a key holding `scope`; anything else is 401.
 * - `refused`: an admin-user route that no key may call (403).
 */
export type ApiKeyAccess =
  | { kind: 'accepts'; scope: ApiKeyScope }
  | { kind: 'only'; scope: ApiKeyScope }
  | { kind: 'refused' };

const access = (value: ApiKeyAccess): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(API_KEY_ACCESS, value), ApiExtension(API_KEY_OPERATION, value));

/** Users as usual, and service API keys holding `scope` (e.g. the self-or-admin user routes). */
export const AcceptsApiKeys = (scope: ApiKeyScope) => access({ kind: 'accepts', scope });

/** Only a service API key holding `scope` (e.g. token introspection); user tokens get 401. */
export const ApiKeysOnly = (scope: ApiKeyScope) => access({ kind: 'only', scope });

/** Admin users only: an API key gets 403 even with scope `admin` (API-key management). */
export const RefusesApiKeys = () => access({ kind: 'refused' });
