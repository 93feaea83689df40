import { Injectable } from '@nestjs/common';
import { appendRoomEvents } from './ephemeral-rooms.repository';
import { BaseRepository } from './queryable';

export type SanctionKind = 'ban' | 'mute';

/** A ban (for the room's life) or a mute (for `seconds`) of a name and the sessions that carried it. */
export interface NewSanction {
  kind: SanctionKind;
  /** An AtRestCipher envelope. */
  name: Buffer;
  sessionHashes: Buffer[];
  /** Null: for the room's life (a ban). */
  seconds: number | null;
}

/** A sanction in force; `secondsLeft` by the database's clock (null: for the room's life). */
export interface SanctionRecord {
  kind: SanctionKind;
  name: Buffer;
  sessionHashes: Buffer[];
  secondsLeft: number | null;
}

/**
 * Moderation state of ephemeral rooms, shared by every process and kept across restarts: bans and
 * mutes (sanctions), slow mode (a column of the room) and slow mode's last post per poster. All of
 * it goes with the room (ON DELETE CASCADE).
 */
@Injectable()
export class EphemeralRoomModerationRepository extends BaseRepository {
  /** Records a ban or mute and marks the room as sanctioned, in one statement. */
  async sanction(roomId: string, sanction: NewSanction): Promise<void> {
    await this.rows(
      `WITH room AS (UPDATE ephemeral_rooms SET sanctioned = true WHERE id = $1 RETURNING id)
       INSERT INTO ephemeral_room_sanctions (room_id, kind, name, session_hashes, until)
       SELECT room.id, $2, $3, $4::bytea[],
         CASE WHEN $5::int IS NULL THEN NULL ELSE now() + make_interval(secs => $5::int) END
       FROM room`,
      [roomId, sanction.kind, sanction.name, sanction.sessionHashes, sanction.seconds],
    );
  }

  /** Bans and mutes in force. */
  activeSanctions(roomId: string): Promise<SanctionRecord[]> {
    return this.rows(
      `SELECT s.kind, s.name, s.session_hashes AS "sessionHashes",
         ceil(extract(epoch FROM s.until - now()))::int AS "secondsLeft"
       FROM ephemeral_room_sanctions s
       WHERE s.room_id = $1 AND (s.until IS NULL OR s.until > now()) ORDER BY s.id`,
      [roomId],
    );
  }

  /**
   * Tells every process to disconnect these sessions of the room (`kick` or `ban`): a
   * `room.sanction` event with the sessions' hashes.
   */
  async announceRemoval(roomId: string, kind: 'kick' | 'ban', sessionHashes: Buffer[]): Promise<void> {
    await this.rows(
      `WITH target AS (SELECT $1::bigint AS room_id),
       announced AS (${appendRoomEvents(
         'room.sanction',
         'target',
         `, 'kind', $2::text, 'sessions', (SELECT json_agg(encode(h, 'hex')) FROM unnest($3::bytea[]) h)`,
       )})
       SELECT 1`,
      [roomId, kind, sessionHashes],
    );
  }

  /** Sets slow mode (0: off) and forgets the last posts; false when the room is gone. */
  async setSlowmode(roomId: string, seconds: number): Promise<boolean> {
    const rows = await this.rows(
      `WITH room AS (UPDATE ephemeral_rooms SET slowmode_seconds = $2 WHERE id = $1 RETURNING id),
       forgotten AS (DELETE FROM ephemeral_room_post_marks m USING room WHERE m.room_id = room.id)
       SELECT id FROM room`,
      [roomId, seconds],
    );
    return rows.length > 0;
  }

  /**
   * Takes this poster's slot under slow mode: 0 when the post may go (its time is recorded), else
   * the seconds until it may. One statement, so two processes cannot both admit the same poster.
   */
  async takePostSlot(roomId: string, posterHash: Buffer, seconds: number): Promise<number> {
    const taken = await this.rows(
      `INSERT INTO ephemeral_room_post_marks AS m (room_id, poster_hash, posted_at)
       SELECT r.id, $2, now() FROM ephemeral_rooms r WHERE r.id = $1 FOR KEY SHARE
       ON CONFLICT (room_id, poster_hash) DO UPDATE SET posted_at = now()
         WHERE m.posted_at <= now() - make_interval(secs => $3::int)
       RETURNING 1`,
      [roomId, posterHash, seconds],
    );
    if (taken.length > 0) return 0;
    const row = await this.one<{ wait: number }>(
      `SELECT GREATEST(1, ceil(extract(epoch FROM m.posted_at + make_interval(secs => $3::int) - now())))::int AS wait
       FROM ephemeral_room_post_marks m WHERE m.room_id = $1 AND m.poster_hash = $2`,
      [roomId, posterHash, seconds],
    );
    // No mark at all: the room is gone (the write that follows says so).
    return row?.wait ?? 0;
  }
}
