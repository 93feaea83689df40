import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ForbiddenError, NotFoundError } from '@parley/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { randomToken, sha256 } from '@parley/crypto';
import { EphemeralRoomRecord, EphemeralRoomsRepository } from '@parley/database';
import { CreatedRoomDto, isoSeconds, RoomDto } from './dto/room.dto';
import { RoomEvents } from './room-events.service';
import { RoomFileStorage } from './room-file-storage';
import { newRoomCode, normaliseRoomCode } from './room-codes';
import { RoomVault } from './room-vault';

// A collision needs one of ~2.75 × 10^10 codes to be taken; ten in a row means something else is wrong.
const CREATE_ATTEMPTS = 10;

export const roomNotFound = () => new NotFoundError('Room', 'ROOM_NOT_FOUND');

/**
 * The life of a room: create, look up (an expired room is not found, sweeper or not), rename, end.
 * Every room route goes through `requireLive`, so a read never extends or revives a room.
 */
@Injectable()
export class RoomsService {
  private readonly logger = new Logger('Rooms');

  constructor(
    private readonly rooms: EphemeralRoomsRepository,
    private readonly vault: RoomVault,
    private readonly events: RoomEvents,
    private readonly files: RoomFileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.rooms.ttlSeconds;
  }

  /** A new room with a fresh code and admin token (returned once; stored as SHA-256). */
  async create(name: string | undefined): Promise<CreatedRoomDto> {
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const code = newRoomCode();
      const adminToken = randomToken();
      const room = await this.rooms.create({
        code,
        name: name === undefined ? null : this.vault.sealText('room.name', code, name),
        adminTokenHash: sha256(adminToken),
      });
      if (room) return { code: room.code, admin_token: adminToken };
    }
    throw new Error(`no free room code after ${CREATE_ATTEMPTS} attempts`);
  }

  /** The live room of a code as typed in a URL; 404 `ROOM_NOT_FOUND` if none or expired. */
  async requireLive(rawCode: unknown): Promise<EphemeralRoomRecord> {
    const code = normaliseRoomCode(rawCode);
    const room = code === undefined ? undefined : await this.rooms.findByCode(code, this.ttlSeconds);
    if (!room?.live) throw roomNotFound();
    return room;
  }

  toDto(room: EphemeralRoomRecord): RoomDto {
    return {
      id: Number(room.id),
      code: room.code,
      name: room.name === null ? null : this.vault.openText('room.name', room.code, room.name),
      created_at: isoSeconds(room.createdAt),
      last_active: isoSeconds(room.lastActive),
      is_active: 1,
    };
  }

  async rename(rawCode: unknown, name: string): Promise<void> {
    const room = await this.requireLive(rawCode);
    if (!(await this.rooms.rename(room.id, this.vault.sealText('room.name', room.code, name), this.ttlSeconds))) {
      throw roomNotFound();
    }
    this.events.committed();
  }

  /** 403 `ADMIN_TOKEN_INVALID` unless `token` is the room's admin token (compared as hashes, in constant time). */
  checkAdmin(room: EphemeralRoomRecord, token: string | undefined): void {
    if (!token || !timingSafeEqual(sha256(token), room.adminTokenHash)) {
      throw new ForbiddenError('Missing or wrong X-Admin-Token for this room', 'ADMIN_TOKEN_INVALID');
    }
  }

  /** `DELETE /rooms/:code` and `/destroy`: the admin token ends the room for good. */
  async destroy(rawCode: unknown, adminToken: string | undefined): Promise<void> {
    const room = await this.requireLive(rawCode);
    this.checkAdmin(room, adminToken);
    await this.end(room);
  }

  /**
   * Deletes the room, its messages and webhooks, leaves its tombstone and announces its end (one
   * statement), then wakes live delivery and removes its files.
   */
  async end(room: EphemeralRoomRecord): Promise<void> {
    const ended = await this.rooms.destroy(room.id);
    if (!ended) throw roomNotFound(); // ended by someone else meanwhile
    this.events.committed();
    await this.removeFiles([ended.id]);
  }

  /**
   * Removes ended rooms' files and records it. A failure is logged and left for the sweeper,
   * which retries every room whose tombstone still names files.
   */
  async removeFiles(roomIds: string[]): Promise<void> {
    const removed: string[] = [];
    for (const id of roomIds) {
      try {
        await this.files.deletePrefix(id);
        removed.push(id);
      } catch (error) {
        this.logger.error(`could not remove the files of room ${id}: ${String(error)}`);
      }
    }
    await this.rooms.markFilesRemoved(removed);
  }
}
