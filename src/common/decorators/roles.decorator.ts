import { SetMetadata } from '@nestjs/common';

/** `admin` is a user with `is_staff = true`. */
export type Role = 'admin';

export const ROLES_KEY = 'roles';

/** Opts a route in to the global RolesGuard: only callers with one of these roles get through. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
