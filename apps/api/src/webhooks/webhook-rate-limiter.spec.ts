import { TooManyRequestsError } from '@parley/common';
import { WebhookRateLimiter } from './webhook-rate-limiter';

// The windows and headers are tested with FixedWindowRateLimiter in libs/common.
describe('WebhookRateLimiter', () => {
  it('counts per webhook and says the webhook ran out', () => {
    const limiter = new WebhookRateLimiter({ perHour: 1, perDay: 10 }, () => Date.UTC(2024, 5, 10, 10));
    const res = { setHeader: () => undefined };
    limiter.admit('a', res);
    limiter.admit('b', res);
    expect(() => limiter.admit('a', res)).toThrow(
      new TooManyRequestsError('This webhook has used its requests for now; retry later'),
    );
  });
});
