import { Injectable } from '@nestjs/common';
import { BaseRepository } from './queryable';

export interface CounterHit {
  bucket: string;
  /** Attempts counted in this window, this one included. */
  count: number;
  windowStart: Date;
  /** Whole seconds until the window ends (at least 1). */
  retryAfterSeconds: number;
}

// The window a moment falls in, aligned on the epoch, from the database clock so processes agree.
const WINDOW_START = 'to_timestamp(floor(extract(epoch FROM now()) / $2::int) * $2::int)';

/** Fixed-window counters in PostgreSQL, shared by every server process (login rate limits). */
@Injectable()
export class RateLimitCountersRepository extends BaseRepository {
  /**
   * Counts one attempt in each bucket with one upsert. Buckets are taken in sorted order, so two
   * requests that touch the same buckets lock their rows in the same order and cannot deadlock.
   */
  hit(buckets: string[], windowSeconds: number): Promise<CounterHit[]> {
    const sorted = [...new Set(buckets)].sort();
    return this.rows(
      `INSERT INTO rate_limit_counters AS c (bucket, window_start, count)
       SELECT b, ${WINDOW_START}, 1 FROM unnest($1::text[]) AS b ORDER BY b
       ON CONFLICT (bucket, window_start) DO UPDATE SET count = c.count + 1
       RETURNING c.bucket, c.count, c.window_start AS "windowStart",
         greatest(1, ceil(extract(epoch FROM c.window_start) + $2::int - extract(epoch FROM now())))::int
           AS "retryAfterSeconds"`,
      [sorted, windowSeconds],
    );
  }

  /** Takes back one attempt counted by `hit` (in the window it was counted in). */
  async refund(buckets: string[], windowStart: Date): Promise<void> {
    await this.rows(
      `UPDATE rate_limit_counters SET count = count - 1
       WHERE bucket = ANY ($1::text[]) AND window_start = $2 AND count > 0`,
      [[...new Set(buckets)].sort(), windowStart],
    );
  }

  /** Takes back one attempt in each bucket in the window current now (never below zero). */
  async refundCurrent(buckets: string[], windowSeconds: number): Promise<void> {
    await this.rows(
      `UPDATE rate_limit_counters SET count = count - 1
       WHERE bucket = ANY ($1::text[]) AND window_start = ${WINDOW_START} AND count > 0`,
      [[...new Set(buckets)].sort(), windowSeconds],
    );
  }

  /** Deletes the counters of windows that ended before `windowSeconds` ago. */
  async pruneEnded(windowSeconds: number): Promise<number> {
    const rows = await this.rows(
      `DELETE FROM rate_limit_counters WHERE window_start < now() - make_interval(secs => $1::int * 2) RETURNING 1`,
      [windowSeconds],
    );
    return rows.length;
  }
}
