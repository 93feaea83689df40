import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from '@parley/database';
import type { Request } from 'express';

export type AuthenticatedRequest = Request & { principal: Principal };

/** The authenticated caller, as resolved by the global guard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
