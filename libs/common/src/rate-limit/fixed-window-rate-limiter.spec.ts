import { TooManyRequestsError } from '../domain-errors';
import { FixedWindowRateLimiter } from './fixed-window-rate-limiter';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function clock(start: number) {
  let t = start;
  return { now: () => t, set: (v: number) => (t = v), advance: (ms: number) => (t += ms) };
}

function headers() {
  const h: Record<string, string> = {};
  return { h, res: { setHeader: (name: string, value: string) => (h[name] = value) } };
}

describe('FixedWindowRateLimiter', () => {
  const dayStart = Date.UTC(2024, 5, 10);

  it('counts per key and answers the four headers on every request', () => {
    const c = clock(dayStart + 10 * HOUR);
    const limiter = new FixedWindowRateLimiter({ perHour: 3, perDay: 100 }, undefined, c.now);
    const { h, res } = headers();
    limiter.admit('a', res);
    expect(h).toEqual({
      'X-Rate-Limit-Total-Per-Hour': '3',
      'X-Rate-Limit-Total-Per-Day': '100',
      'X-Rate-Limit-Used': '1',
      'X-Rate-Limit-Remaining': '2',
    });
    limiter.admit('a', res);
    limiter.admit('b', res);
    expect(h['X-Rate-Limit-Used']).toBe('1');
    limiter.admit('a', res);
    expect(h).toMatchObject({ 'X-Rate-Limit-Used': '3', 'X-Rate-Limit-Remaining': '0' });
  });

  it('refuses past the hourly limit with Retry-After until the next UTC hour, without counting the refusal', () => {
    const c = clock(dayStart + 10 * HOUR + 59 * 60_000 + 30_500);
    const limiter = new FixedWindowRateLimiter({ perHour: 2, perDay: 100 }, undefined, c.now);
    const { h, res } = headers();
    limiter.admit('a', res);
    limiter.admit('a', res);
    expect(() => limiter.admit('a', res)).toThrow(TooManyRequestsError);
    expect(h).toMatchObject({ 'X-Rate-Limit-Used': '2', 'X-Rate-Limit-Remaining': '0', 'Retry-After': '30' });
    expect(() => limiter.admit('a', res)).toThrow(TooManyRequestsError);
    expect(limiter.take('b').admitted).toBe(true);
    c.advance(30_000);
    const next = limiter.take('a');
    expect(next).toEqual({ admitted: true, used: 1, remaining: 1, retryAfterSeconds: 0 });
  });

  it('reports the day window when it is the one nearer its limit, and waits for the next UTC day', () => {
    const c = clock(dayStart + 22 * HOUR);
    const limiter = new FixedWindowRateLimiter({ perHour: 10, perDay: 12 }, undefined, c.now);
    for (let i = 0; i < 8; i++) limiter.take('a');
    c.set(dayStart + 23 * HOUR);
    // Hour: 1 used, 9 left; day: 9 used, 3 left — the day runs out first.
    expect(limiter.take('a')).toEqual({ admitted: true, used: 9, remaining: 3, retryAfterSeconds: 0 });
    for (let i = 0; i < 3; i++) limiter.take('a');
    expect(limiter.take('a')).toEqual({ admitted: false, used: 12, remaining: 0, retryAfterSeconds: 3600 });
    c.set(dayStart + DAY + 1);
    expect(limiter.take('a')).toEqual({ admitted: true, used: 1, remaining: 9, retryAfterSeconds: 0 });
  });

  it('names the later reset when both windows are exhausted', () => {
    const c = clock(dayStart + 23 * HOUR + 30 * 60_000);
    const limiter = new FixedWindowRateLimiter({ perHour: 1, perDay: 1 }, undefined, c.now);
    limiter.take('a');
    const refused = limiter.take('a');
    expect(refused).toMatchObject({ admitted: false, remaining: 0, retryAfterSeconds: 30 * 60 });
    const c2 = clock(dayStart + 5 * HOUR);
    const both = new FixedWindowRateLimiter({ perHour: 1, perDay: 1 }, undefined, c2.now);
    both.take('a');
    expect(both.take('a').retryAfterSeconds).toBe(19 * 3600);
  });

  it('forgets a deleted webhook and drops counters of earlier days when it holds many', () => {
    const c = clock(dayStart);
    const limiter = new FixedWindowRateLimiter({ perHour: 1, perDay: 10 }, undefined, c.now);
    limiter.take('a');
    limiter.forget('a');
    expect(limiter.take('a').admitted).toBe(true);
    for (let i = 0; i < 10_000; i++) limiter.take(`old-${i}`);
    c.advance(DAY);
    limiter.take('fresh');
    expect((limiter as unknown as { counters: Map<string, unknown> }).counters.size).toBe(1);
  });
});
