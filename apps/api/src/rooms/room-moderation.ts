import { Injectable } from '@nestjs/common';
import { ForbiddenError, TooManyRequestsError } from '@parley/common';
import { sha256 } from '@parley/crypto';
import { EphemeralRoomModerationRepository, EphemeralRoomRecord } from '@parley/database';
import { EventBus } from '@parley/events';
import { normaliseName, PresenceRoom } from './room-presence';
import { roomNotFound } from './rooms.service';
import { RoomVault } from './room-vault';

/** 403 `MUTED`: this session (or name) may not post until `until`. */
export class MutedError extends ForbiddenError {
  constructor(readonly retryAfterSeconds: number) {
    super(`You are muted in this room for ${retryAfterSeconds} more seconds`, 'MUTED');
  }
}

/** 429 `SLOWMODE`: one post per `seconds` per session (sockets) or per IP (HTTP). */
export class SlowmodeError extends TooManyRequestsError {
  constructor(
    readonly seconds: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`Slow mode is on: one post every ${seconds} seconds; retry in ${retryAfterSeconds} s`, 'SLOWMODE');
  }
}

/** Who is posting, as moderation sees it. */
export interface RoomPoster {
  /** The slowmode key: `session:<id>` for a socket, `ip:<bucket>` for HTTP. */
  key: string;
  session?: string;
  name?: string;
  /** The room's admin (a socket that presented the admin token): mutes and slow mode do not apply. */
  admin?: boolean;
}

/** The room as a post or handshake read it: what moderation checks against. */
export type ModeratedRoom = Pick<EphemeralRoomRecord, 'id' | 'code' | 'slowmodeSeconds' | 'sanctioned'>;

/**
 * Bans, mutes and slow mode of ephemeral rooms, in PostgreSQL: every process enforces the same
 * rules, a restart forgets none, and all of it goes with the room. Rooms never moderated cost
 * nothing extra: the room row (read by every post anyway) says whether there is anything to read.
 * Sessions are kept as SHA-256, names sealed like every other room name. docs/decisions/0007 § Commands.
 */
@Injectable()
export class RoomModeration {
  constructor(
    private readonly moderation: EphemeralRoomModerationRepository,
    private readonly vault: RoomVault,
    private readonly bus: EventBus,
  ) {}

  /** Refuses the name and these sessions for the room's life, and disconnects them everywhere. */
  async ban(room: PresenceRoom, name: string, sessionHashes: Buffer[]): Promise<void> {
    await this.moderation.sanction(room.id, {
      kind: 'ban',
      name: this.vault.sealText('sanction.name', room.code, name),
      sessionHashes,
      seconds: null,
    });
    await this.remove(room, 'ban', sessionHashes);
  }

  /** Disconnects these sessions everywhere; they may come back. */
  async kick(room: PresenceRoom, sessionHashes: Buffer[]): Promise<void> {
    await this.remove(room, 'kick', sessionHashes);
  }

  async mute(room: PresenceRoom, name: string, sessionHashes: Buffer[], seconds: number): Promise<void> {
    await this.moderation.sanction(room.id, {
      kind: 'mute',
      name: this.vault.sealText('sanction.name', room.code, name),
      sessionHashes,
      seconds,
    });
  }

  /** 0 turns slow mode off; every poster starts afresh. */
  async slowmode(room: PresenceRoom, seconds: number): Promise<void> {
    if (!(await this.moderation.setSlowmode(room.id, seconds))) throw roomNotFound();
  }

  async isBanned(room: ModeratedRoom, session: string, name: string): Promise<boolean> {
    if (!room.sanctioned) return false;
    return (await this.sanctionsOf(room, session, name)).some((s) => s.kind === 'ban');
  }

  /**
   * Checks a post before it is written: 403 `MUTED`, 429 `SLOWMODE`; when admitted, the post is
   * counted for slow mode (a post refused later for another reason still counts).
   */
  async admitPost(room: ModeratedRoom, poster: RoomPoster): Promise<void> {
    // The admin is never silenced, not even by someone muted under the admin's name.
    if (!poster.admin) await this.refuseIfMuted(room, poster);
    if (room.slowmodeSeconds > 0 && !poster.admin) {
      const wait = await this.moderation.takePostSlot(
        room.id,
        this.vault.posterIndex(room.code, poster.key),
        room.slowmodeSeconds,
      );
      if (wait > 0) throw new SlowmodeError(room.slowmodeSeconds, wait);
    }
  }

  /** 403 `MUTED` while this session or name is muted (files: by name; slow mode does not count them). */
  async refuseIfMuted(room: ModeratedRoom, poster: { session?: string; name?: string }): Promise<void> {
    if (!room.sanctioned) return;
    const mutes = (await this.sanctionsOf(room, poster.session, poster.name)).filter((s) => s.kind === 'mute');
    const left = Math.max(0, ...mutes.map((s) => s.secondsLeft ?? 0));
    if (left > 0) throw new MutedError(left);
  }

  private async remove(room: PresenceRoom, kind: 'kick' | 'ban', sessionHashes: Buffer[]): Promise<void> {
    await this.moderation.announceRemoval(room.id, kind, sessionHashes);
    this.bus.notifyCommitted();
  }

  /** The sanctions in force that name this session or this name. */
  private async sanctionsOf(room: ModeratedRoom, session: string | undefined, name: string | undefined) {
    const sessionHash = session === undefined ? undefined : sha256(session);
    const wanted = name === undefined ? undefined : normaliseName(name);
    return (await this.moderation.activeSanctions(room.id)).filter(
      (s) =>
        (sessionHash !== undefined && s.sessionHashes.some((h) => h.equals(sessionHash))) ||
        (wanted !== undefined && normaliseName(this.vault.openText('sanction.name', room.code, s.name)) === wanted),
    );
  }
}
