import { FixedWindowRateLimiter, RateLimits } from '@parley/common';

/**
 * Per-webhook request limits: the shared fixed-window limiter (libs/common) keyed by webhook id,
 * with the webhook's own refusal message. Counted per process (docs/decisions/0004-webhook-dialects.md).
 */
export class WebhookRateLimiter extends FixedWindowRateLimiter {
  constructor(limits: RateLimits, now: () => number = Date.now) {
    super(limits, 'This webhook has used its requests for now; retry later', now);
  }
}
