import { TooManyRequestsError } from '../domain-errors';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// Counters idle since an earlier day are dropped once this many are held.
const SWEEP_ABOVE = 10_000;

export interface RateLimits {
  perHour: number;
  perDay: number;
}

/** One request's standing: what the `X-Rate-Limit-*` headers and `Retry-After` say. */
export interface RateVerdict {
  admitted: boolean;
  /** Requests counted in the window that runs out first (hour, or day when it is nearer its limit). */
  used: number;
  remaining: number;
  /** Seconds until the exhausted windows reset; 0 when admitted. */
  retryAfterSeconds: number;
}

interface Counter {
  hour: number;
  hourCount: number;
  day: number;
  dayCount: number;
}

export interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

/**
 * Request limits per key (a webhook, a client IP) in fixed UTC hour and day windows, counted in
 * this process's memory: a map lookup and two increments per request, no database round trip on
 * a hot path. With several processes behind a balancer each counts only what it receives, so the
 * effective limit is up to N times the configured one (docs/decisions/0004-webhook-dialects.md).
 *
 * Every admitted request counts, whatever its outcome (a refused body cost us its parsing too);
 * requests refused by the limit itself do not, so a client that backs off gets back in on time.
 */
export class FixedWindowRateLimiter {
  private readonly counters = new Map<string, Counter>();
  private readonly perHour: string;
  private readonly perDay: string;

  constructor(
    private readonly limits: RateLimits,
    /** The 429's message: says what ran out. */
    private readonly refusal = 'Too many requests; retry later',
    private readonly now: () => number = Date.now,
  ) {
    this.perHour = String(limits.perHour);
    this.perDay = String(limits.perDay);
  }

  take(key: string): RateVerdict {
    const t = this.now();
    const hour = Math.floor(t / HOUR_MS);
    const day = Math.floor(t / DAY_MS);
    let c = this.counters.get(key);
    if (!c) {
      if (this.counters.size >= SWEEP_ABOVE) this.sweep(day);
      c = { hour, hourCount: 0, day, dayCount: 0 };
      this.counters.set(key, c);
    }
    if (c.hour !== hour) {
      c.hour = hour;
      c.hourCount = 0;
    }
    if (c.day !== day) {
      c.day = day;
      c.dayCount = 0;
    }
    const { perHour, perDay } = this.limits;
    const admitted = c.hourCount < perHour && c.dayCount < perDay;
    if (admitted) {
      c.hourCount++;
      c.dayCount++;
    }
    const hourLeft = perHour - c.hourCount;
    const dayLeft = perDay - c.dayCount;
    const dayBinds = dayLeft < hourLeft;
    let retryAfterMs = 0;
    if (!admitted) {
      if (c.hourCount >= perHour) retryAfterMs = (hour + 1) * HOUR_MS - t;
      if (c.dayCount >= perDay) retryAfterMs = Math.max(retryAfterMs, (day + 1) * DAY_MS - t);
    }
    return {
      admitted,
      used: dayBinds ? c.dayCount : c.hourCount,
      remaining: Math.max(0, dayBinds ? dayLeft : hourLeft),
      retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
    };
  }

  /**
   * Counts one request, writes the four `X-Rate-Limit-*` headers, and past the limit sets
   * `Retry-After` and throws 429 `RATE_LIMITED`.
   */
  admit(key: string, res: HeaderTarget): void {
    const verdict = this.take(key);
    res.setHeader('X-Rate-Limit-Total-Per-Hour', this.perHour);
    res.setHeader('X-Rate-Limit-Total-Per-Day', this.perDay);
    res.setHeader('X-Rate-Limit-Used', String(verdict.used));
    res.setHeader('X-Rate-Limit-Remaining', String(verdict.remaining));
    if (!verdict.admitted) {
      res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
      throw new TooManyRequestsError(this.refusal, 'RATE_LIMITED');
    }
  }

  /** Forgets a key's counts (a deleted webhook). */
  forget(key: string): void {
    this.counters.delete(key);
  }

  private sweep(day: number): void {
    for (const [key, c] of this.counters) if (c.day !== day) this.counters.delete(key);
  }
}
