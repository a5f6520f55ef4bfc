import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC_KEY = 'isPublic';

/**
 * Marks a public operation in the OpenAPI document; swagger.ts turns it into `security: []` and
 * documents 401 on every operation without it.
 */
export const PUBLIC_OPERATION = 'x-public';

/**
 * Opts a route (or a whole controller) out of the global JWT guard, and out of the bearer
 * security the OpenAPI document declares for every operation: the docs follow the guard.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiExtension(PUBLIC_OPERATION, true));
