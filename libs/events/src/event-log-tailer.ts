import { EventsRepository, finishedBefore, HorizonCandidate, StoredEvent, TransactionSnapshot } from '@parley/database';

const BATCH = 1000;
const RETRY_MS = [5, 20, 50, 100, 250, 500, 1000];
// Writers that cannot wake this process (another process, a script) are picked up by this poll.
const IDLE_POLL_MS = 1000;

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
 * and the ids of this database's transactions still writing at that moment — and a later snapshot
 * in which none of those ids is still in progress proves every position up to that head final.
 * Only then are those positions delivered. The cost is one extra round trip per wake-up; a
 * long-open writing transaction in the same database holds delivery back until it ends.
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
    for (;;) {
      const candidate = await this.events.captureHorizon();
      const { snapshot } = await this.events.readSettled(0, 0, 1);
      if (settledIn(snapshot, candidate)) {
        this.cursor = candidate.limit;
        break;
      }
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
        this.rerun = false;
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
    this.candidates.push(await this.events.captureHorizon());
    for (;;) {
      const through = this.candidates[this.candidates.length - 1]?.limit ?? this.cursor;
      if (through <= this.cursor) {
        this.candidates = [];
        break;
      }
      const { snapshot, events } = await this.events.readSettled(this.cursor, through, BATCH);
      // Candidates are in capture order; settled ones form a prefix (an id still running at a
      // later capture would appear in that later candidate too).
      let settled = -1;
      this.candidates.forEach((c, i) => {
        if (settledIn(snapshot, c)) settled = i;
      });
      if (settled < 0) {
        this.scheduleRetry();
        return;
      }
      const horizon = this.candidates[settled].limit;
      const ready = events.filter((e) => e.position <= horizon);
      const pageIsFull = events.length === BATCH && ready.length === events.length;
      const newCursor = pageIsFull ? ready[ready.length - 1].position : horizon;
      if (ready.length > 0) this.deliver(ready);
      this.cursor = Math.max(this.cursor, newCursor);
      this.candidates = this.candidates.slice(settled + 1).filter((c) => c.limit > this.cursor);
      if (pageIsFull) {
        this.candidates.unshift({ limit: horizon, inFlightXids: [] });
        continue;
      }
      if (this.candidates.length > 0) this.scheduleRetry();
      else this.retryIndex = 0;
      return;
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
