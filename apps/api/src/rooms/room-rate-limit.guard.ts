import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FixedWindowRateLimiter, ipBucketKey } from '@parley/common';
import type { Request, Response } from 'express';

export type RoomRateLimitKind = 'create' | 'post';
const ROOM_RATE_LIMIT = 'parley:roomRateLimit';

/** Counts the route against the client IP's room-creation or posting budget. */
export const RoomRateLimit = (kind: RoomRateLimitKind): MethodDecorator => SetMetadata(ROOM_RATE_LIMIT, kind);

/** One limiter per kind; posts (messages, hooks, files) share one budget per IP. */
export class RoomRateLimiters {
  constructor(readonly byKind: Readonly<Record<RoomRateLimitKind, FixedWindowRateLimiter>>) {}
}

/**
 * Per-IP limits on the room routes that create things, with the `X-Rate-Limit-*` headers of the
 * team webhooks and 429 + `Retry-After` past them. A guard, so a refused upload is refused before
 * its body is read. IPv6 clients count per /64 (`ipBucketKey`); behind a proxy, TRUST_PROXY
 * decides what `req.ip` is.
 */
@Injectable()
export class RoomRateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiters: RoomRateLimiters,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const kind = this.reflector.get<RoomRateLimitKind | undefined>(ROOM_RATE_LIMIT, context.getHandler());
    if (kind === undefined) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    this.limiters.byKind[kind].admit(ipBucketKey(req.ip ?? 'unknown'), http.getResponse<Response>());
    return true;
  }
}
