import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EventsRepository, StoredEvent } from '@parley/database';
import { EventBus, EventListener } from './event-bus';
import { EventLogTailer } from './event-log-tailer';

/** The single-process bus: commits in this process wake the tailer directly. */
export class InProcessEventBus extends EventBus implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventBus');
  private readonly listeners = new Set<EventListener>();
  private readonly tailer: EventLogTailer;

  constructor(events: EventsRepository) {
    super();
    this.tailer = new EventLogTailer(events, (batch) => this.fanOut(batch), {
      warn: (m) => this.logger.warn(m),
      error: (m, e) => this.logger.error(`${m}: ${e instanceof Error ? e.message : String(e)}`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.tailer.start();
  }

  onModuleDestroy(): void {
    this.tailer.stop();
  }

  notifyCommitted(): void {
    this.tailer.wake();
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  settledPosition(): number {
    return this.tailer.position;
  }

  private fanOut(batch: StoredEvent[]): void {
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch (error) {
        this.logger.error(`event listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
