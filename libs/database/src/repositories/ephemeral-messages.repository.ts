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
  sender: Buffer;
  content: Buffer;
  fileName: string | null;
  fileType: string | null;
  /** Set for a post through a webhook: it is written only while that webhook still exists. */
  webhookId?: string;
}

const MESSAGE = `m.id, m.sender, m.content, m.file_name AS "fileName", m.file_type AS "fileType",
  m.created_at AS "createdAt"`;

@Injectable()
export class EphemeralMessagesRepository extends BaseRepository {
  /**
   * Writes a message, marks the room active and announces the message in the event log (its ids),
   * in one autocommit statement: the 200 that follows is durable. Nothing is written (undefined) when the room has expired or ended, or, for a
   * webhook post, when the webhook was revoked meanwhile — its row is locked (`FOR KEY SHARE`) so
   * a revoke that answered first is never followed by a post through it. The room row's update
   * also makes a concurrent sweep skip it (SKIP LOCKED) or see the new `last_active`.
   */
  insertIfLive(
    roomId: string,
    ttlSeconds: number,
    message: NewEphemeralMessage,
  ): Promise<EphemeralMessageRecord | undefined> {
    return this.one(
      `WITH hook AS (
         SELECT w.id FROM ephemeral_webhooks w WHERE w.id = $7::bigint AND w.room_id = $1 FOR KEY SHARE
       ),
       room AS (
         UPDATE ephemeral_rooms r SET last_active = now()
         WHERE r.id = $1 AND r.last_active > now() - make_interval(secs => $2::int)
           AND ($7::bigint IS NULL OR EXISTS (SELECT 1 FROM hook))
         RETURNING r.id
       ),
       posted AS (
         INSERT INTO ephemeral_messages AS m (room_id, sender, content, file_name, file_type)
         SELECT room.id, $3, $4, $5, $6 FROM room
         RETURNING ${MESSAGE}, m.room_id
       ),
       announced AS (${appendRoomEvents('room.message', 'posted', `, 'message', posted.id::text`)})
       SELECT id, sender, content, "fileName", "fileType", "createdAt" FROM posted`,
      [
        roomId,
        ttlSeconds,
        message.sender,
        message.content,
        message.fileName,
        message.fileType,
        message.webhookId ?? null,
      ],
    );
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
