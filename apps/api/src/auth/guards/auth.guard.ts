import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthorizedError } from '@parley/common';
import { Role, SessionsRepository } from '@parley/database';
import { AuthenticatedRequest } from '../decorators/current-principal.decorator';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { ALLOW_QUERY_TOKEN } from '../decorators/query-token.decorator';
import { ROLES } from '../decorators/roles.decorator';
import { TokensService } from '../tokens.service';

/** The one global guard: every route needs a valid access token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly sessions: SessionsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = this.extractToken(req, this.reflector.get<boolean>(ALLOW_QUERY_TOKEN, context.getHandler()));
    if (!token) throw new UnauthorizedError('Missing access token', 'AUTH_REQUIRED');
    const claims = this.tokens.verifyAccessToken(token);
    if (!claims) throw new UnauthorizedError('Invalid or expired access token', 'INVALID_TOKEN');
    const principal = await this.sessions.findPrincipal(claims.sid, claims.sub, claims.wid);
    if (!principal) throw new UnauthorizedError('Session is no longer valid', 'SESSION_INVALID');
    req.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ForbiddenError('This action requires an admin', 'ADMIN_REQUIRED');
    }
    return true;
  }

  private extractToken(req: AuthenticatedRequest, allowQuery: boolean | undefined): string | undefined {
    const header = req.headers.authorization;
    if (typeof header === 'string') {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      return match?.[1];
    }
    const query = req.query.token;
    if (allowQuery && typeof query === 'string' && query.length > 0) return query;
    return undefined;
  }
}
