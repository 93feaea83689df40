import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { EventsRepository, MessagesRepository } from '@parley/database';
import { EventBus } from '@parley/events';

const PRUNE_EVERY_MS = 10 * 60 * 1000;
// Webhook Idempotency-Keys are promised for at least 24 h; pruning at 48 h leaves a margin.
const IDEMPOTENCY_KEY_HOURS = 48;

/**
 * Drops events past EVENT_RETENTION_HOURS (replay from before them answers RESYNC), and webhook
 * Idempotency-Keys past 48 h.
 */
@Injectable()
export class EventRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventRetention');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: EventsRepository,
    private readonly messages: MessagesRepository,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      void this.prune();
      void this.pruneIdempotencyKeys();
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async prune(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.events.retentionHours * 3600 * 1000);
    try {
      // Never prune what live subscribers have not been given yet.
      const deleted = await this.events.pruneOlderThan(cutoff, this.bus.settledPosition());
      if (deleted > 0) this.logger.log(`pruned ${deleted} events older than ${cutoff.toISOString()}`);
      return deleted;
    } catch (error) {
      this.logger.error(`event pruning failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }

  async pruneIdempotencyKeys(): Promise<number> {
    try {
      return await this.messages.pruneIdempotencyKeys(IDEMPOTENCY_KEY_HOURS);
    } catch (error) {
      this.logger.error(`idempotency key pruning failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }
}
