import { SetMetadata } from '@nestjs/common';
import { Role } from '@parley/database';

export const ROLES = 'parley:roles';
/** Restricts a route to callers whose role in the current workspace is listed. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, roles);
