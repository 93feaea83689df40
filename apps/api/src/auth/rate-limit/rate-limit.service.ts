import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { RateLimitCountersRepository } from '@parley/database';
import { ipBucketKey } from '@parley/common';
import { sha256 } from '../tokens.service';
import { RateLimitedError } from './rate-limited.error';

/**
 * What is being counted; each kind has its own buckets, so mailing links cannot lock anyone out of
 * password login. docs/decisions/0002-auth-flows.md says which route counts what.
 */
export type RateLimitKind = 'password' | 'link-token' | 'mail' | 'register' | 'oauth' | 'oauth-start' | 'invite';

export interface RateLimitSubject {
  /**
   * The client's address; left out where only the account counts (OAuth, once the provider named it).
   * An IPv6 address counts by its /64 (see ipBucketKey in libs/common).
   */
  ip?: string;
  /** The e-mail the attempt is about, whether or not it has an identity (else 429s would tell). */
  account?: string;
}

/** One counted attempt; `refund()` takes it back (a login that succeeded was no guess). */
export interface RateLimitTicket {
  refund(): Promise<void>;
}

// Share of counted attempts that also delete old counters: cheap, and no timer per process.
const PRUNE_SHARE = 0.01;

/**
 * Login rate limits: fixed windows counted in PostgreSQL (one upsert per attempt), so every server
 * process sees the same counts. An attempt is counted *before* the work it guards, so concurrent
 * guesses cannot slip past the limit together.
 */
@Injectable()
export class RateLimitService {
  private readonly logger = new Logger('RateLimit');

  constructor(
    private readonly counters: RateLimitCountersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one attempt per IP and per account; throws RateLimitedError when either is over its limit. */
  async hit(kind: RateLimitKind, subject: RateLimitSubject): Promise<RateLimitTicket> {
    const limits = this.limits(kind, subject);
    if (Math.random() < PRUNE_SHARE) void this.prune();
    const hits = await this.counters.hit([...limits.keys()], this.config.auth.rateLimit.windowSeconds);
    const over = hits.filter((h) => h.count > (limits.get(h.bucket) ?? Infinity));
    if (over.length > 0) throw new RateLimitedError(Math.max(...over.map((h) => h.retryAfterSeconds)));
    const windowStart = hits[0]?.windowStart;
    return {
      refund: async () => {
        if (windowStart) await this.counters.refund([...limits.keys()], windowStart);
      },
    };
  }

  /**
   * Takes back one attempt counted in the current window without its ticket, where the attempt
   * was counted by another request (an OAuth start, refunded by the callback that completed it).
   * Never below zero; an attempt counted in the window before is not found, which errs on counting.
   */
  async takeBack(kind: RateLimitKind, subject: RateLimitSubject): Promise<void> {
    await this.counters.refundCurrent([...this.limits(kind, subject).keys()], this.config.auth.rateLimit.windowSeconds);
  }

  private limits(kind: RateLimitKind, subject: RateLimitSubject): Map<string, number> {
    const { perIp, perAccount } = this.config.auth.rateLimit;
    const limits = new Map<string, number>();
    if (subject.ip !== undefined) limits.set(`auth:${kind}:ip:${ipBucketKey(subject.ip)}`, perIp);
    if (subject.account !== undefined) {
      // Hashed: the counters table need not hold e-mail addresses.
      const account = sha256(subject.account.trim().toLowerCase()).toString('base64url');
      limits.set(`auth:${kind}:account:${account}`, perAccount);
    }
    return limits;
  }

  /** Deletes counters of windows long over; errors are logged, never thrown (it runs unawaited). */
  async prune(): Promise<number> {
    try {
      return await this.counters.pruneEnded(this.config.auth.rateLimit.windowSeconds);
    } catch (error) {
      this.logger.warn(`pruning rate-limit counters failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }
}
