import { Module } from '@nestjs/common';
import { RateLimitService } from './rate-limit.service';
import { RetryAfterInterceptor } from './retry-after.interceptor';

/**
 * Login rate limits for every route that checks a credential (auth routes, OAuth). Controllers add
 * `@UseInterceptors(RetryAfterInterceptor)` so a 429 carries `Retry-After`.
 */
@Module({ providers: [RateLimitService, RetryAfterInterceptor], exports: [RateLimitService, RetryAfterInterceptor] })
export class RateLimitModule {}
