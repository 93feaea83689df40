import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { sha256 } from '@parley/crypto';
import { EphemeralRoomPresenceRepository, PresenceRow } from '@parley/database';
import { EventBus } from '@parley/events';
import { RoomVault } from './room-vault';

/** A room as presence needs it: its id, and its code (the context names are sealed under). */
export interface PresenceRoom {
  id: string;
  code: string;
}

/** Someone connected, as `/kick`, `/ban` and `/mute` find them: their name and their session's hash. */
export interface PresentParticipant {
  name: string;
  sessionHash: Buffer;
}

/** A process reconciles its rows with its sockets this often… */
const HEARTBEAT_MS = 15_000;
/** …and rows not refreshed for this long are a dead process's: not counted, then swept. */
export const PRESENCE_STALE_SECONDS = 45;

/**
 * Who is connected to each room, in every process (a row per socket in PostgreSQL; names sealed
 * like every other room name). The Socket.IO gateway joins and leaves; `/who`, `/kick`, `/ban` and
 * `/mute` read it, so an HTTP command sent to any process sees the sockets of all of them. Each
 * change is announced through the event log (`presence` to the room's clients). Every 15 s a
 * process reconciles its rows with the sockets it holds, so nothing it lost track of lingers.
 */
@Injectable()
export class RoomPresence implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RoomPresence');
  /** This process, as its rows name it: a new one each start, so a restart leaves no ghosts. */
  readonly processId = randomUUID();
  private heartbeat: NodeJS.Timeout | undefined;
  private closing = false;
  /** The sockets this process holds, by socket id: what its rows must be (see `beat`). */
  private readonly local = new Map<string, PresenceRow>();

  constructor(
    private readonly presence: EphemeralRoomPresenceRepository,
    private readonly vault: RoomVault,
    private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    this.heartbeat = setInterval(() => {
      this.beat().catch((error: unknown) => this.logger.error(`presence heartbeat failed: ${String(error)}`));
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * Makes this process's rows exactly its sockets: refreshed, written again if a sweep took them
   * while a heartbeat was late, and any other row (a leave that failed) removed.
   */
  async beat(): Promise<void> {
    if (this.closing) return;
    await this.presence.reconcile(this.processId, [...this.local.values()]);
  }

  /** This process's sockets leave (the gateway lets them go after this). */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    await this.presence.removeProcess(this.processId).catch((error: unknown) => {
      this.logger.warn(`could not remove this process's presence (swept later): ${String(error)}`);
    });
  }

  /** False when the room is gone (ended since the handshake). */
  async join(room: PresenceRoom, socket: { socketId: string; session: string; name: string }): Promise<boolean> {
    const row: PresenceRow = {
      socketId: socket.socketId,
      roomId: room.id,
      sessionHash: sha256(socket.session),
      name: this.vault.sealText('presence.name', room.code, socket.name),
    };
    this.local.set(row.socketId, row);
    const joined = await this.presence.join({ ...row, processId: this.processId }).catch((error: unknown) => {
      this.local.delete(row.socketId);
      throw error;
    });
    if (joined) this.bus.notifyCommitted();
    else this.local.delete(row.socketId);
    return joined;
  }

  async leave(socketId: string): Promise<void> {
    if (!this.local.delete(socketId) || this.closing) return; // onModuleDestroy removes every row of this process
    await this.presence.leave(socketId);
    this.bus.notifyCommitted();
  }

  /** Names present, each once, in the order they first joined. */
  async who(room: PresenceRoom): Promise<string[]> {
    return [...new Set((await this.participants(room)).map((p) => p.name))];
  }

  /** Everyone in the room called `name` (case-insensitive, a leading `@` ignored). */
  async find(room: PresenceRoom, name: string): Promise<PresentParticipant[]> {
    const wanted = normaliseName(name);
    return (await this.participants(room)).filter((p) => normaliseName(p.name) === wanted);
  }

  private async participants(room: PresenceRoom): Promise<PresentParticipant[]> {
    const rows = await this.presence.list(room.id, PRESENCE_STALE_SECONDS);
    return rows.map((r) => ({
      name: this.vault.openText('presence.name', room.code, r.name),
      sessionHash: r.sessionHash,
    }));
  }
}

/** How names are compared by moderation: without a leading `@`, case-folded, NFC. */
export const normaliseName = (name: string): string => name.trim().replace(/^@/, '').normalize('NFC').toLowerCase();
