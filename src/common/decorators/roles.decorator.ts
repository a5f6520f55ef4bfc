import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

/** `admin` is a user with `is_staff = true`. */
export type Role = 'admin';

export const ROLES_KEY = 'roles';

/** The roles in the OpenAPI document, so swagger.ts documents the API keys they take. */
export const ROLES_OPERATION = 'x-roles';

/** Opts a route in to the global RolesGuard: only callers with one of these roles get through. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(ROLES_OPERATION, roles));
