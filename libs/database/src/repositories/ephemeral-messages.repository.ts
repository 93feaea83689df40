import { Injectable } from '@nestjs/common';
import { appendRoomEvents } from './ephemeral-rooms.repository';
import { BaseRepository } from './queryable';

/** A message of an ephemeral room; `sender` and `content` are AtRestCipher envelopes. */
export interface EphemeralMessageRecord {
  id: string;
  sender: Buffer;
  content: Buffer;
  fileName: string | null;
  fileType: string | null;
  createdAt: Date;
}

export interface NewEphemeralMessage {
  roomId: string;
  sender: Buffer;
  content: Buffer;
  fileName: string | null;
  fileType: string | null;
  /** Set for a post through a webhook: it is written only while that webhook still exists. */
  webhookId?: string;
}

const MESSAGE = `m.id, m.sender, m.content, m.file_name AS "fileName", m.file_type AS "fileType",
  m.created_at AS "createdAt"`;

const INSERT_BATCH = `WITH input AS (
    SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::text[], $5::text[], $6::bigint[])
      WITH ORDINALITY AS i(room_id, sender, content, file_name, file_type, webhook_id, ord)
  ), rooms AS MATERIALIZED (
    SELECT r.id FROM ephemeral_rooms r
    WHERE r.id IN (SELECT room_id FROM input) AND r.last_active > now() - make_interval(secs => $7::int)
    ORDER BY r.id FOR NO KEY UPDATE
  ), hooks AS MATERIALIZED (
    -- Joined to the locked rooms, so the room rows are always locked first: a destroy or a sweep
    -- locks the room and then deletes its webhooks, and the opposite order could deadlock with it.
    SELECT w.id, w.room_id FROM ephemeral_webhooks w JOIN rooms ON rooms.id = w.room_id
    WHERE w.id IN (SELECT webhook_id FROM input WHERE webhook_id IS NOT NULL)
    ORDER BY w.id FOR KEY SHARE OF w
  ), accepted AS MATERIALIZED (
    SELECT i.*, nextval(pg_get_serial_sequence('ephemeral_messages', 'id')) AS id FROM input i
    WHERE i.room_id IN (SELECT id FROM rooms)
      AND (i.webhook_id IS NULL OR EXISTS (SELECT 1 FROM hooks h WHERE h.id = i.webhook_id AND h.room_id = i.room_id))
    ORDER BY i.ord
  ), touched AS (
    UPDATE ephemeral_rooms r SET last_active = now() FROM rooms WHERE r.id = rooms.id
      AND r.id IN (SELECT room_id FROM accepted)
  ), posted AS (
    INSERT INTO ephemeral_messages AS m (id, room_id, sender, content, file_name, file_type)
    OVERRIDING SYSTEM VALUE
    SELECT id, room_id, sender, content, file_name, file_type FROM accepted ORDER BY ord
    RETURNING ${MESSAGE}, m.room_id
  ), announced AS (${appendRoomEvents('room.message', 'accepted', `, 'message', accepted.id::text`, 'accepted.ord')})
  SELECT p.id, p.sender, p.content, p."fileName", p."fileType", p."createdAt", a.ord::text AS ord
  FROM posted p JOIN accepted a ON a.id = p.id`;

@Injectable()
export class EphemeralMessagesRepository extends BaseRepository {
  /**
   * Writes a batch of messages (any rooms), marks their rooms active and announces each message in
   * the event log (its ids), in one autocommit statement: the 200s that follow are durable. One
   * result per input, in order; undefined where nothing was written: the room has expired or ended,
   * or, for a webhook post, the webhook was revoked meanwhile — webhook rows are locked
   * (`FOR KEY SHARE`) so a revoke that answered first is never followed by a post through it.
   * Rooms are locked in id order, so batches of several processes cannot deadlock on them; the
   * rooms' update also makes a concurrent sweep skip them (SKIP LOCKED) or see the new
   * `last_active`.
   */
  async insertBatchIfLive(
    ttlSeconds: number,
    messages: NewEphemeralMessage[],
  ): Promise<(EphemeralMessageRecord | undefined)[]> {
    const rows = await this.prepared<EphemeralMessageRecord & { ord: string }>(
      'parley_room_insert_batch',
      INSERT_BATCH,
      [
        messages.map((m) => m.roomId),
        messages.map((m) => m.sender),
        messages.map((m) => m.content),
        messages.map((m) => m.fileName),
        messages.map((m) => m.fileType),
        messages.map((m) => m.webhookId ?? null),
        ttlSeconds,
      ],
    );
    const byOrd = new Map(rows.map(({ ord, ...record }) => [Number(ord), record]));
    return messages.map((_, i) => byOrd.get(i + 1));
  }

  /** Messages by id (those still there), in id order, with their room: what live clients are sent. */
  findByIds(ids: string[]): Promise<(EphemeralMessageRecord & { roomId: string })[]> {
    return this.rows(
      `SELECT ${MESSAGE}, m.room_id AS "roomId" FROM ephemeral_messages m WHERE m.id = ANY ($1::bigint[]) ORDER BY m.id`,
      [ids],
    );
  }

  /** The room's newest `limit` messages, oldest first. */
  listRecent(roomId: string, limit: number): Promise<EphemeralMessageRecord[]> {
    return this.rows(
      `SELECT * FROM (
         SELECT ${MESSAGE} FROM ephemeral_messages m WHERE m.room_id = $1 ORDER BY m.id DESC LIMIT $2
       ) recent ORDER BY id`,
      [roomId, limit],
    );
  }

  /** The type of a file posted to this room, or undefined when no message of the room carries it. */
  async findFileType(roomId: string, fileName: string): Promise<string | undefined> {
    const row = await this.one<{ fileType: string }>(
      `SELECT m.file_type AS "fileType" FROM ephemeral_messages m WHERE m.room_id = $1 AND m.file_name = $2`,
      [roomId, fileName],
    );
    return row?.fileType;
  }
}
