import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { EphemeralRoomPresenceRepository, EphemeralRoomsRepository } from '@parley/database';
import { EventBus } from '@parley/events';
import { RoomEvents } from './room-events.service';
import { PRESENCE_STALE_SECONDS } from './room-presence';
import { RoomsService } from './rooms.service';

/** Rooms deleted per statement; a sweep repeats until a batch comes back short. */
const SWEEP_BATCH = 500;
/** Rooms whose leftover files are removed per round. */
const FILES_BATCH = 100;
/** How long a tombstone keeps answering 410 for a room's hooks (docs/decisions/0007). */
export const TOMBSTONE_RETENTION_SECONDS = 7 * 24 * 3600;
/** Room events in the log are only for live delivery: every process has read them long before this. */
export const ROOM_EVENT_RETENTION_SECONDS = 10 * 60;

/** Every min(60 s, TTL/4), at least 250 ms: an expired room is gone within a quarter of its TTL. */
export const sweepIntervalMs = (ttlSeconds: number): number =>
  Math.max(250, Math.min(60_000, Math.floor((ttlSeconds * 1000) / 4)));

/**
 * Deletes expired rooms for real: one `DELETE … RETURNING` per batch removes the rooms (messages,
 * webhooks, presence and moderation cascade), leaves their tombstones and announces `destroyed` to
 * live clients in every process; then their files go from disk. It also sweeps the presence rows
 * of processes that died, and room events older than ten minutes. Expired rooms already answer 404/410 before this runs (every query
 * checks `last_active`), so the interval only bounds how long their data stays.
 *
 * Safe with several processes: rows are claimed with SKIP LOCKED, so each expired room is deleted
 * and announced by exactly one of them. Works across restarts: state is only in the database (a
 * sweep runs at boot), and files left by a crash between the delete and the removal are found
 * through their tombstone by the next round, in any process.
 */
@Injectable()
export class RoomSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RoomSweeper');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly rooms: EphemeralRoomsRepository,
    private readonly presence: EphemeralRoomPresenceRepository,
    private readonly lifecycle: RoomsService,
    private readonly events: RoomEvents,
    private readonly bus: EventBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), sweepIntervalMs(this.config.rooms.ttlSeconds));
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running; // before the pool closes
  }

  /** One round (a round already running is joined, not doubled). Resolves when done; never rejects. */
  sweep(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<void> {
    try {
      let ended = 0;
      for (;;) {
        const batch = await this.rooms.sweepExpired(this.config.rooms.ttlSeconds, SWEEP_BATCH);
        ended += batch.length;
        if (batch.length > 0) this.events.committed();
        await this.lifecycle.removeFiles(batch.map((r) => r.id));
        if (batch.length < SWEEP_BATCH || this.timer === undefined) break;
      }
      if (ended > 0) this.logger.log(`deleted ${ended} expired room(s)`);
      await this.lifecycle.removeFiles(await this.rooms.roomsWithFilesLeft(FILES_BATCH));
      await this.rooms.pruneTombstones(TOMBSTONE_RETENTION_SECONDS);
      await this.presence.removeStale(PRESENCE_STALE_SECONDS);
      await this.rooms.pruneRoomEvents(ROOM_EVENT_RETENTION_SECONDS, this.bus.settledPosition());
    } catch (error) {
      this.logger.error(`room sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
