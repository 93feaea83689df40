import { EventsRepository, finishedBefore, HorizonCandidate, StoredEvent, TransactionSnapshot } from '@parley/database';

const BATCH = 1000;
const RETRY_MS = [10, 20, 50, 100, 250, 500, 1000]; // the first is MIN_ROUND_GAP_MS anyway
// Any subset of candidates is safe to keep; the newest are the ones that settle first after a
// long transaction ends.
const MAX_CANDIDATES = 64;
// Writers that cannot wake this process (another process, a script) are picked up by this poll.
const IDLE_POLL_MS = 1000;
// Rounds start at most this often: under a burst of commits one round delivers many of them, instead
// of two queries per commit (they were two thirds of the statements a write burst sent to PostgreSQL).
const MIN_ROUND_GAP_MS = 10;

export interface TailerLogger {
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const settledIn = (snapshot: TransactionSnapshot, candidate: HorizonCandidate): boolean =>
  candidate.inFlightXids.every((x) => finishedBefore(snapshot, x));

/**
 * Follows the event log and hands out only settled events, in position order.
 *
 * Positions are drawn from a sequence inside concurrent transactions, so they become visible out
 * of order: 101 may commit before 100. Delivering 101 first and 100 later would let a client that
 * saw 101 miss 100 on reconnect. So each round captures a *candidate horizon* — the sequence head
 * and the ids of this database's transactions still writing at that moment. With no writer in
 * flight the candidate is final at once; otherwise a later snapshot in which none of those ids is
 * still running proves every position up to that head final. Only then are those positions read
 * and delivered. A long-open writing transaction in the same database holds delivery back until it
 * ends; meanwhile each round costs one small query and reads no events.
 */
export class EventLogTailer {
  private cursor = 0;
  private candidates: HorizonCandidate[] = [];
  private running = false;
  private rerun = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryIndex = 0;
  private started = false;
  private idlePoll: NodeJS.Timeout | undefined;
  private lastRoundAt = 0;

  constructor(
    private readonly events: EventsRepository,
    private readonly deliver: (batch: StoredEvent[]) => void,
    private readonly logger: TailerLogger,
  ) {}

  get position(): number {
    return this.cursor;
  }

  /** Starts at the settled head: earlier events are history (replay), not live. */
  async start(): Promise<void> {
    let previous: HorizonCandidate | undefined;
    for (;;) {
      const { candidate, snapshot } = await this.events.captureHorizon();
      if (candidate.inFlightXids.length === 0) {
        this.cursor = candidate.limit;
        break;
      }
      if (previous && settledIn(snapshot, previous)) {
        this.cursor = previous.limit;
        break;
      }
      previous = candidate;
      await new Promise((r) => setTimeout(r, 20));
    }
    this.started = true;
    this.idlePoll = setInterval(() => this.wake(), IDLE_POLL_MS);
    this.idlePoll.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    clearInterval(this.idlePoll);
  }

  /** Something committed: run a round now, or right after the one in progress. */
  wake(): void {
    if (this.stopped || !this.started) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        const gap = this.lastRoundAt + MIN_ROUND_GAP_MS - Date.now();
        if (gap > 0) await new Promise((r) => setTimeout(r, gap));
        if (this.stopped) break;
        // Commits announced until now are covered by this round.
        this.rerun = false;
        this.lastRoundAt = Date.now();
        await this.round();
      } while (this.rerun && !this.stopped);
    } catch (error) {
      this.logger.error('event log tailer round failed; retrying', error);
      this.scheduleRetry();
    } finally {
      this.running = false;
    }
  }

  private async round(): Promise<void> {
    const { candidate, snapshot } = await this.events.captureHorizon();
    let horizon: number | undefined;
    if (candidate.inFlightXids.length === 0) {
      // No writer in flight: everything up to this head is final, earlier candidates included.
      horizon = candidate.limit;
      this.candidates = [];
    } else {
      // Earlier candidates are judged by this statement's snapshot, taken after they were
      // captured. Settled ones form a prefix: an id still running now was running at every
      // later capture too, so it is in every later candidate.
      let settled = -1;
      this.candidates.forEach((c, i) => {
        if (settledIn(snapshot, c)) settled = i;
      });
      if (settled >= 0) horizon = this.candidates[settled].limit;
      this.candidates = [...this.candidates.slice(settled + 1), candidate].slice(-MAX_CANDIDATES);
    }
    if (horizon !== undefined && horizon > this.cursor) await this.deliverThrough(horizon);
    this.candidates = this.candidates.filter((c) => c.limit > this.cursor);
    if (this.candidates.length > 0) this.scheduleRetry();
    else this.retryIndex = 0;
  }

  private async deliverThrough(horizon: number): Promise<void> {
    while (this.cursor < horizon && !this.stopped) {
      const events = await this.events.readRange(this.cursor, horizon, BATCH);
      if (events.length > 0) this.deliver(events);
      this.cursor = events.length === BATCH ? events[events.length - 1].position : horizon;
    }
  }

  // A rolled-back writer or one in another process sends no wake-up: poll with backoff meanwhile.
  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = RETRY_MS[Math.min(this.retryIndex++, RETRY_MS.length - 1)];
    if (this.retryIndex === RETRY_MS.length + 20) {
      this.logger.warn('event delivery is waiting on a long-running transaction in this database');
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.wake();
    }, delay);
  }
}
