import { Injectable } from '@nestjs/common';
import { appendRoomEvents } from './ephemeral-rooms.repository';
import { BaseRepository } from './queryable';

/** One connected socket, as every process sees it. `name` is an AtRestCipher envelope. */
export interface PresenceRecord {
  sessionHash: Buffer;
  name: Buffer;
}

/** A socket's presence as its process writes it. */
export interface PresenceRow {
  socketId: string;
  roomId: string;
  sessionHash: Buffer;
  /** An AtRestCipher envelope. */
  name: Buffer;
}

/**
 * Who is connected to each room, across processes: a row per socket, written by the process that
 * holds it. Each process reconciles its rows with its sockets on a heartbeat; rows not seen for
 * `staleSeconds` belong to a process that died (kill -9, a lost host) — reads skip them and the
 * sweeper deletes them.
 * Every change is announced (`room.presence`) in the same statement.
 */
@Injectable()
export class EphemeralRoomPresenceRepository extends BaseRepository {
  /** Adds a socket to a room; false when the room is gone (ended since the handshake). */
  async join(row: PresenceRow & { processId: string }): Promise<boolean> {
    const rows = await this.rows(
      `WITH joined AS (
         INSERT INTO ephemeral_room_presence (socket_id, room_id, process_id, session_hash, name)
         -- KEY SHARE: a room being deleted is waited for and then skipped, not a foreign-key error.
         SELECT $1, r.id, $3, $4, $5 FROM ephemeral_rooms r WHERE r.id = $2 FOR KEY SHARE
         RETURNING room_id
       ),
       announced AS (${appendRoomEvents('room.presence', 'joined')})
       SELECT room_id FROM joined`,
      [row.socketId, row.roomId, row.processId, row.sessionHash, row.name],
    );
    return rows.length > 0;
  }

  async leave(socketId: string): Promise<void> {
    await this.rows(
      `WITH left_room AS (DELETE FROM ephemeral_room_presence WHERE socket_id = $1 RETURNING room_id),
       announced AS (${appendRoomEvents('room.presence', 'left_room')})
       SELECT 1`,
      [socketId],
    );
  }

  /** The sockets of a room, oldest first, skipping those of processes not seen lately. */
  list(roomId: string, staleSeconds: number): Promise<PresenceRecord[]> {
    return this.rows(
      `SELECT p.session_hash AS "sessionHash", p.name FROM ephemeral_room_presence p
       WHERE p.room_id = $1 AND p.seen_at > now() - make_interval(secs => $2::int)
       ORDER BY p.joined_at, p.socket_id`,
      [roomId, staleSeconds],
    );
  }

  /**
   * A process's heartbeat: its rows become exactly the sockets it holds. Those are refreshed (or
   * written again, if a sweep took them while the heartbeat was late); any other row of this
   * process — a socket whose leave failed — is deleted. Changes are announced.
   */
  async reconcile(processId: string, sockets: PresenceRow[]): Promise<void> {
    await this.rows(
      `WITH live AS (
         SELECT * FROM unnest($2::text[], $3::bigint[], $4::bytea[], $5::bytea[]) AS l(socket_id, room_id, session_hash, name)
       ),
       upserted AS (
         INSERT INTO ephemeral_room_presence AS p (socket_id, room_id, process_id, session_hash, name)
         SELECT l.socket_id, r.id, $1, l.session_hash, l.name
         FROM live l JOIN ephemeral_rooms r ON r.id = l.room_id
         FOR KEY SHARE OF r
         ON CONFLICT (socket_id) DO UPDATE SET seen_at = now()
         RETURNING p.room_id, (p.xmax = 0) AS inserted
       ),
       removed AS (
         DELETE FROM ephemeral_room_presence p
         WHERE p.process_id = $1 AND p.socket_id <> ALL ($2::text[])
         RETURNING p.room_id
       ),
       changed AS (SELECT room_id FROM upserted WHERE inserted UNION SELECT room_id FROM removed),
       announced AS (${appendRoomEvents('room.presence', 'changed')})
       SELECT 1`,
      [
        processId,
        sockets.map((s) => s.socketId),
        sockets.map((s) => s.roomId),
        sockets.map((s) => s.sessionHash),
        sockets.map((s) => s.name),
      ],
    );
  }

  /**
   * Deletes the rows of one process (its orderly shutdown), or those not seen for `staleSeconds`
   * (processes that died), announcing each room once.
   */
  async removeProcess(processId: string): Promise<void> {
    await this.removeWhere('process_id = $1', [processId]);
  }

  async removeStale(staleSeconds: number): Promise<void> {
    await this.removeWhere('seen_at <= now() - make_interval(secs => $1::int)', [staleSeconds]);
  }

  private async removeWhere(condition: string, params: unknown[]): Promise<void> {
    await this.rows(
      `WITH removed AS (DELETE FROM ephemeral_room_presence WHERE ${condition} RETURNING room_id),
       rooms AS (SELECT DISTINCT room_id FROM removed),
       announced AS (${appendRoomEvents('room.presence', 'rooms')})
       SELECT 1`,
      params,
    );
  }
}
