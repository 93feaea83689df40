import { Injectable } from '@nestjs/common';
import { EventsRepository, NewEvent, Tx } from '@parley/database';
import { DataSource } from 'typeorm';
import { EventBus } from './event-bus';

/** Collects the events of one transaction; they are appended to the log just before commit. */
export class EventRecorder {
  readonly pending: NewEvent[] = [];
  record(event: NewEvent): void {
    this.pending.push(event);
  }
}

/**
 * Runs a unit of work in one transaction: domain writes and their events commit together, and
 * subscribers are woken only after the commit (never for a rolled-back write).
 *
 * A deadlock (40P01) is not retried here: re-running a callback is safe only if it has no effect
 * outside the transaction, and not every unit is so (a webhook's deletion drops its cached
 * credentials and rate-limit state inside its callback). Units that may meet on the same rows take
 * their locks in one order instead (UsersRepository.lockIdentity). Transactions run at READ
 * COMMITTED, where serialization failures (40001) do not arise.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly bus: EventBus,
  ) {}

  async run<T>(work: (tx: Tx, events: EventRecorder) => Promise<T>): Promise<T> {
    const recorder = new EventRecorder();
    const result = await this.dataSource.transaction(async (tx) => {
      const value = await work(tx, recorder);
      await this.events.append(recorder.pending, tx);
      return value;
    });
    if (recorder.pending.length > 0) this.bus.notifyCommitted();
    return result;
  }
}
