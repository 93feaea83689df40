import { Injectable } from '@nestjs/common';
import { BaseRepository } from './queryable';

/**
 * An ephemeral room as stored. `name` is an AtRestCipher envelope (or null: never named). Ids are
 * bigint, carried as strings like every other id here; the API turns them into numbers.
 */
export interface EphemeralRoomRecord {
  id: string;
  code: string;
  name: Buffer | null;
  adminTokenHash: Buffer;
  createdAt: Date;
  lastActive: Date;
  /** Posted to within the TTL; an expired room is read as absent even before the sweeper runs. */
  live: boolean;
  /** One post per this many seconds per poster; 0: off. */
  slowmodeSeconds: number;
  /** Someone was banned or muted here once: posts and handshakes read the sanctions. */
  sanctioned: boolean;
}

/**
 * What the event log carries for rooms (`workspace_id` NULL): ids only — the log is plaintext and
 * content is not. Every process re-reads what its live clients need (RoomEvents).
 */
export type RoomLogEventType = 'room.message' | 'room.updated' | 'room.destroyed' | 'room.presence' | 'room.sanction';

/**
 * An `INSERT INTO events` (for a CTE) appending one room event per row of `source`, which has a
 * `room_id` column; `fields` adds `, 'key', value` pairs to the payload; `orderBy` orders the positions. Written in the same
 * statement as the change it announces, so the two commit together.
 */
export const appendRoomEvents = (type: RoomLogEventType, source: string, fields = '', orderBy = ''): string =>
  `INSERT INTO events (workspace_id, type, payload)
   SELECT NULL, '${type}', json_build_object('room', ${source}.room_id::text${fields}) FROM ${source}${
     orderBy ? ` ORDER BY ${orderBy}` : ''
   }`;

/** A room removed by the sweeper or destroyed: what live clients and the file store need to hear. */
export interface EndedRoom {
  id: string;
  code: string;
}

const ROOM = `r.id, r.code, r.name, r.admin_token_hash AS "adminTokenHash", r.created_at AS "createdAt",
  r.last_active AS "lastActive", r.slowmode_seconds AS "slowmodeSeconds", r.sanctioned`;
// $ttl is the placeholder of ROOM_TTL_SECONDS; a TTL change applies to rooms that exist already.
const isLive = (ttl: string) => `r.last_active > now() - make_interval(secs => ${ttl}::int)`;
const CODE_HASH = `sha256(convert_to(code, 'UTF8'))`;

/**
 * Ephemeral rooms and their tombstones. Rooms are not tenant rows (no workspace): the code is the
 * credential, as the contract says, so every lookup is by code or by the id a code lookup gave.
 */
@Injectable()
export class EphemeralRoomsRepository extends BaseRepository {
  /**
   * Inserts a room unless the code is taken by a room or still has a tombstone (a code is not
   * handed out again while its old hooks should answer 410). Undefined on a collision: retry.
   */
  create(room: {
    code: string;
    name: Buffer | null;
    adminTokenHash: Buffer;
  }): Promise<EphemeralRoomRecord | undefined> {
    return this.one(
      `INSERT INTO ephemeral_rooms AS r (code, name, admin_token_hash)
       SELECT $1, $2, $3
       WHERE NOT EXISTS (SELECT 1 FROM ephemeral_room_tombstones t WHERE t.code_hash = sha256(convert_to($1, 'UTF8')))
       ON CONFLICT (code) DO NOTHING
       RETURNING ${ROOM}, true AS live`,
      [room.code, room.name, room.adminTokenHash],
    );
  }

  /** The room with this code, expired or not (see `live`). */
  findByCode(code: string, ttlSeconds: number): Promise<EphemeralRoomRecord | undefined> {
    return this.one(`SELECT ${ROOM}, ${isLive('$2')} AS live FROM ephemeral_rooms r WHERE r.code = $1`, [
      code,
      ttlSeconds,
    ]);
  }

  /** Whether a room with this code ended within the tombstone retention. */
  async hasTombstone(codeHash: Buffer): Promise<boolean> {
    const row = await this.one<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ephemeral_room_tombstones WHERE code_hash = $1) AS found`,
      [codeHash],
    );
    return row?.found === true;
  }

  /** The stored name of a room (its envelope; null: never named), or undefined when it is gone. */
  async findName(roomId: string): Promise<{ name: Buffer | null } | undefined> {
    return this.one(`SELECT r.name FROM ephemeral_rooms r WHERE r.id = $1`, [roomId]);
  }

  /** Sets the name of a live room (and announces it); false when the room expired or ended meanwhile. */
  async rename(roomId: string, name: Buffer, ttlSeconds: number): Promise<boolean> {
    const rows = await this.rows(
      `WITH renamed AS (
         UPDATE ephemeral_rooms r SET name = $2 WHERE r.id = $1 AND ${isLive('$3')} RETURNING r.id AS room_id
       ),
       announced AS (${appendRoomEvents('room.updated', 'renamed')})
       SELECT room_id FROM renamed`,
      [roomId, name, ttlSeconds],
    );
    return rows.length > 0;
  }

  /**
   * Deletes a room (its messages and webhooks cascade), leaves its tombstone and announces its end,
   * in one statement.
   * Undefined when another request or the sweeper ended it first.
   */
  destroy(roomId: string): Promise<EndedRoom | undefined> {
    return this.one(
      `WITH gone AS (DELETE FROM ephemeral_rooms WHERE id = $1 RETURNING id, id AS room_id, code),
       stone AS (
         INSERT INTO ephemeral_room_tombstones (code_hash, ended_at, files_room_id)
         SELECT ${CODE_HASH}, now(), id FROM gone
       ),
       announced AS (${appendRoomEvents('room.destroyed', 'gone')})
       SELECT id, code FROM gone`,
      [roomId],
    );
  }

  /**
   * Deletes up to `limit` rooms idle past the TTL, leaves their tombstones and announces their end,
   * in one statement.
   * Rooms a post is updating right now are skipped (SKIP LOCKED): that post keeps them alive, and
   * several processes sweeping at once never wait for or double-count each other's rows. The row
   * lock also re-checks expiry against a post that committed after this statement's snapshot.
   */
  sweepExpired(ttlSeconds: number, limit: number): Promise<EndedRoom[]> {
    return this.rows(
      `WITH doomed AS (
         SELECT r.id FROM ephemeral_rooms r WHERE NOT ${isLive('$1')}
         ORDER BY r.last_active LIMIT $2 FOR UPDATE SKIP LOCKED
       ),
       gone AS (
         DELETE FROM ephemeral_rooms r USING doomed WHERE r.id = doomed.id
         RETURNING r.id, r.id AS room_id, r.code, r.last_active
       ),
       stones AS (
         INSERT INTO ephemeral_room_tombstones (code_hash, ended_at, files_room_id)
         SELECT ${CODE_HASH}, last_active + make_interval(secs => $1::int), id FROM gone
       ),
       announced AS (${appendRoomEvents('room.destroyed', 'gone')})
       SELECT id, code FROM gone`,
      [ttlSeconds, limit],
    );
  }

  /** Rooms whose files may still be on disk (ended, files not yet removed), oldest first. */
  async roomsWithFilesLeft(limit: number): Promise<string[]> {
    const rows = await this.rows<{ roomId: string }>(
      `SELECT files_room_id AS "roomId" FROM ephemeral_room_tombstones
       WHERE files_room_id IS NOT NULL ORDER BY id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.roomId);
  }

  /** Records that these rooms' files are gone from disk. */
  async markFilesRemoved(roomIds: string[]): Promise<void> {
    if (roomIds.length === 0) return;
    await this.rows(
      `UPDATE ephemeral_room_tombstones SET files_room_id = NULL WHERE files_room_id = ANY ($1::bigint[])`,
      [roomIds],
    );
  }

  /**
   * Deletes room events (ids only) older than `seconds` that this process has delivered
   * (`notAbove`): nothing replays them — a reconnecting client re-reads the room — so they are
   * kept only long enough for every process to have read them, not for the SSE retention.
   */
  async pruneRoomEvents(seconds: number, notAbove: number): Promise<number> {
    const rows = await this.rows(
      `DELETE FROM events
       WHERE workspace_id IS NULL AND position <= $2 AND created_at < now() - make_interval(secs => $1::int)
       RETURNING 1`,
      [seconds, notAbove],
    );
    return rows.length;
  }

  /** Deletes tombstones older than the retention whose files are gone; returns how many. */
  async pruneTombstones(retentionSeconds: number): Promise<number> {
    const rows = await this.rows(
      `DELETE FROM ephemeral_room_tombstones
       WHERE ended_at < now() - make_interval(secs => $1::int) AND files_room_id IS NULL RETURNING 1`,
      [retentionSeconds],
    );
    return rows.length;
  }
}
