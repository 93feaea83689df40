import { Injectable, Logger } from '@nestjs/common';
import type { RoomMessageDto } from './dto/room.dto';

/**
 * What live clients of a room hear (PRODUCT.md §5): a new message (the same object
 * `GET /rooms/:code/messages` returns), a rename, the room's end.
 */
export type RoomEvent =
  | { type: 'message'; payload: RoomMessageDto }
  | { type: 'room_updated'; payload: { name: string | null } }
  | { type: 'destroyed'; payload: { code: string } };

export type RoomEventHandler = (event: RoomEvent) => void;

/**
 * Room fan-out, keyed by room code: the Socket.IO gateway subscribes per connected room, the
 * services publish after their write committed. In-process: a subscriber hears the posts this
 * process handled. Going cross-process (docs/decisions/0007-ephemeral-rooms.md): publish also
 * sends `NOTIFY parley_rooms` with ids only (never content, which would reach the notification
 * queue on disk in plaintext), and a LISTEN connection in every process re-reads and delivers.
 */
@Injectable()
export class RoomEvents {
  private readonly logger = new Logger('RoomEvents');
  private readonly handlers = new Map<string, Set<RoomEventHandler>>();

  /** Delivers to every subscriber of the room; a throwing handler is logged and skipped. */
  publish(code: string, event: RoomEvent): void {
    const set = this.handlers.get(code);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        handler(event);
      } catch (error) {
        this.logger.error(`a ${event.type} handler failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Subscribes to one room's events; returns the unsubscribe function. */
  subscribe(code: string, handler: RoomEventHandler): () => void {
    let set = this.handlers.get(code);
    if (!set) this.handlers.set(code, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(code) === set) this.handlers.delete(code);
    };
  }

  /** Subscribers of a room in this process (presence, tests). */
  subscriberCount(code: string): number {
    return this.handlers.get(code)?.size ?? 0;
  }
}
