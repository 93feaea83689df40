import { TooManyRequestsError } from '@parley/common';

/** 429 `RATE_LIMITED`; RetryAfterInterceptor turns `retryAfterSeconds` into a `Retry-After` header. */
export class RateLimitedError extends TooManyRequestsError {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts; try again in ${retryAfterSeconds} s`, 'RATE_LIMITED');
  }
}
