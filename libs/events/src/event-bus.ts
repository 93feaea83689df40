import { StoredEvent } from '@parley/database';

export type EventListener = (events: readonly StoredEvent[]) => void;

/**
 * Fan-out of committed events. `notifyCommitted()` is called after a transaction that appended to
 * the log commits; every subscriber then receives the settled events, in log order, exactly once.
 * In-process now; a Redis implementation will carry the notification between processes.
 */
export abstract class EventBus {
  abstract notifyCommitted(): void;
  abstract subscribe(listener: EventListener): () => void;
  /** Highest position delivered to subscribers: everything at or below it is final. */
  abstract settledPosition(): number;
}
