import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  EphemeralMessageRecord,
  EphemeralMessagesRepository,
  EphemeralRoomsRepository,
  RoomLogEventType,
  StoredEvent,
} from '@parley/database';
import { EventBus } from '@parley/events';
import type { RoomMessageDto } from './dto/room.dto';
import { presentRoomMessage } from './room-message-dto';
import { RoomPresence } from './room-presence';
import { RoomVault } from './room-vault';

/**
 * What live clients of a room hear (PRODUCT.md §5): a new message (the same object
 * `GET /rooms/:code/messages` returns), a rename, who is here, the room's end — and, for the
 * gateway only, which sessions a moderator removed (it tells those sockets and lets them go).
 */
export type RoomEvent =
  | { type: 'message'; payload: RoomMessageDto }
  | { type: 'room_updated'; payload: { name: string | null } }
  | { type: 'presence'; payload: { who: string[] } }
  | { type: 'destroyed'; payload: { code: string } }
  | { type: 'removed'; payload: { kind: 'kick' | 'ban'; sessionHashes: string[] } };

export type RoomEventHandler = (event: RoomEvent) => void;

/** A room as its subscribers know it: the id the log names, the code clients know it by. */
export interface RoomRef {
  id: string;
  code: string;
}

/** A room event as the log carries it: ids only (see appendRoomEvents). */
interface LoggedRoomEvent {
  type: RoomLogEventType;
  room: string;
  message?: string;
  kind?: 'kick' | 'ban';
  sessions?: string[];
}

interface Subscription {
  room: RoomRef;
  handlers: Set<RoomEventHandler>;
}

const isRoomEvent = (e: StoredEvent): boolean => e.workspaceId === null && e.type.startsWith('room.');

/**
 * Room fan-out through the event log that feeds SSE (libs/events), so it works across processes:
 * a post, rename, join or ban in any process appends its event (ids only) in the statement that
 * makes the change; every process's EventBus delivers the settled events in log order, and this
 * service re-reads what its subscribers need — messages decrypted, names, who is here — once per
 * batch. Writers call `committed()` to wake this process at once; other processes pick the events
 * up on their next poll of the log (EventLogTailer, at most a second later).
 */
@Injectable()
export class RoomEvents implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RoomEvents');
  private readonly subscriptions = new Map<string, Subscription>();
  private stopListening: (() => void) | undefined;
  // Batches are handled one after another, so clients hear events in log order.
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: EventBus,
    private readonly messages: EphemeralMessagesRepository,
    private readonly rooms: EphemeralRoomsRepository,
    private readonly presence: RoomPresence,
    private readonly vault: RoomVault,
  ) {}

  onModuleInit(): void {
    this.stopListening = this.bus.subscribe((batch) => this.enqueue(batch));
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  /** A write that appended room events committed: deliver them now rather than at the next poll. */
  committed(): void {
    this.bus.notifyCommitted();
  }

  /** Subscribes to one room's events; returns the unsubscribe function. */
  subscribe(room: RoomRef, handler: RoomEventHandler): () => void {
    let subscription = this.subscriptions.get(room.id);
    if (!subscription) this.subscriptions.set(room.id, (subscription = { room, handlers: new Set() }));
    const handlers = subscription.handlers;
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.subscriptions.get(room.id)?.handlers === handlers) {
        this.subscriptions.delete(room.id);
      }
    };
  }

  /**
   * Resolves once every room event up to `position` in the log has been handed to subscribers
   * (tests: what a request just caused has been heard).
   */
  async deliveredThrough(position: number): Promise<void> {
    while (this.bus.settledPosition() < position) {
      this.bus.notifyCommitted();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await this.queue;
  }

  /** Subscribers of a room in this process (tests). */
  subscriberCount(roomId: string): number {
    return this.subscriptions.get(roomId)?.handlers.size ?? 0;
  }

  private enqueue(batch: readonly StoredEvent[]): void {
    // Every batch of the log comes here, team chat's too: with no live room here, nothing to parse.
    if (this.subscriptions.size === 0) return;
    const events = batch
      .filter(isRoomEvent)
      .map(
        (e) => ({ ...(JSON.parse(e.payloadJson) as Omit<LoggedRoomEvent, 'type'>), type: e.type }) as LoggedRoomEvent,
      )
      .filter((e) => this.subscriptions.has(e.room));
    if (events.length === 0) return;
    this.queue = this.queue
      .then(() => this.deliver(events))
      .catch((error: unknown) => {
        this.logger.error(`room events lost: ${error instanceof Error ? error.message : String(error)}`);
      });
  }

  /**
   * Hands a batch to subscribers in log order. A failed read costs only the events that needed it:
   * kicks, bans and ends need none and always go out.
   */
  private async deliver(events: LoggedRoomEvent[]): Promise<void> {
    const messages = await this.readMessages(events);
    // A batch reads who is here and the name once per room: the reads are newer than every event.
    const announced = new Set<string>();
    for (const event of events) {
      const subscription = this.subscriptions.get(event.room);
      if (!subscription) continue;
      try {
        await this.deliverOne(event, subscription, messages, announced);
      } catch (error) {
        this.logger.error(
          `a ${event.type} event was not delivered: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  private async readMessages(
    events: LoggedRoomEvent[],
  ): Promise<Map<string, EphemeralMessageRecord & { roomId: string }>> {
    const ids = events.filter((e) => e.type === 'room.message').map((e) => e.message ?? '0');
    if (ids.length === 0) return new Map();
    try {
      return new Map((await this.messages.findByIds(ids)).map((m) => [m.id, m]));
    } catch (error) {
      this.logger.error(
        `${ids.length} live message(s) not delivered: ${error instanceof Error ? error.message : String(error)}`,
      );
      return new Map();
    }
  }

  private async deliverOne(
    event: LoggedRoomEvent,
    subscription: Subscription,
    messages: Map<string, EphemeralMessageRecord & { roomId: string }>,
    announced: Set<string>,
  ): Promise<void> {
    const { room } = subscription;
    switch (event.type) {
      case 'room.message': {
        const message = messages.get(event.message ?? '');
        if (message?.roomId === room.id) {
          this.publish(subscription, { type: 'message', payload: presentRoomMessage(this.vault, room.code, message) });
        }
        return;
      }
      case 'room.updated': {
        if (announced.has(`name:${room.id}`)) return;
        announced.add(`name:${room.id}`);
        const found = await this.rooms.findName(room.id);
        if (!found) return; // ended meanwhile: its own event follows
        const name = found.name === null ? null : this.vault.openText('room.name', room.code, found.name);
        this.publish(subscription, { type: 'room_updated', payload: { name } });
        return;
      }
      case 'room.presence': {
        if (announced.has(`who:${room.id}`)) return;
        announced.add(`who:${room.id}`);
        this.publish(subscription, { type: 'presence', payload: { who: await this.presence.who(room) } });
        return;
      }
      case 'room.sanction':
        this.publish(subscription, {
          type: 'removed',
          payload: { kind: event.kind === 'ban' ? 'ban' : 'kick', sessionHashes: event.sessions ?? [] },
        });
        return;
      case 'room.destroyed':
        this.publish(subscription, { type: 'destroyed', payload: { code: room.code } });
        return;
    }
  }

  /** A throwing handler is logged and skipped. */
  private publish(subscription: Subscription, event: RoomEvent): void {
    for (const handler of [...subscription.handlers]) {
      try {
        handler(event);
      } catch (error) {
        this.logger.error(`a ${event.type} handler failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
