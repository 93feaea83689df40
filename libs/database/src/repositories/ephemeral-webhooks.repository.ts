import { Injectable } from '@nestjs/common';
import { BaseRepository } from './queryable';

/** An incoming webhook of an ephemeral room; `label` is an AtRestCipher envelope or null. */
export interface EphemeralWebhookRecord {
  id: string;
  label: Buffer | null;
  createdAt: Date;
}

/** What a hook post needs to know about its code and token, in one lookup. */
export interface HookTarget {
  roomId: string;
  code: string;
  live: boolean;
  /** Set when the token belongs to this room. */
  webhookId: string | null;
  label: Buffer | null;
}

const WEBHOOK = `w.id, w.label, w.created_at AS "createdAt"`;

@Injectable()
export class EphemeralWebhooksRepository extends BaseRepository {
  /** Mints a webhook for a live room; undefined when the room expired or ended meanwhile. */
  create(
    roomId: string,
    ttlSeconds: number,
    webhook: { label: Buffer | null; tokenHash: Buffer },
  ): Promise<EphemeralWebhookRecord | undefined> {
    return this.one(
      `INSERT INTO ephemeral_webhooks AS w (room_id, label, token_hash)
       SELECT r.id, $3, $4 FROM ephemeral_rooms r
       WHERE r.id = $1 AND r.last_active > now() - make_interval(secs => $2::int)
       RETURNING ${WEBHOOK}`,
      [roomId, ttlSeconds, webhook.label, webhook.tokenHash],
    );
  }

  listForRoom(roomId: string): Promise<EphemeralWebhookRecord[]> {
    return this.rows(`SELECT ${WEBHOOK} FROM ephemeral_webhooks w WHERE w.room_id = $1 ORDER BY w.id`, [roomId]);
  }

  /** Deletes the room's webhook; false when it has none with this id. */
  async revoke(roomId: string, webhookId: string): Promise<boolean> {
    const rows = await this.rows(`DELETE FROM ephemeral_webhooks WHERE room_id = $1 AND id = $2 RETURNING id`, [
      roomId,
      webhookId,
    ]);
    return rows.length > 0;
  }

  /**
   * The room of a code and, when the token hash is one of that room's webhooks, the webhook. A
   * token of another room matches nothing here (the join is on this room's webhooks).
   */
  findHookTarget(code: string, tokenHash: Buffer, ttlSeconds: number): Promise<HookTarget | undefined> {
    return this.one(
      `SELECT r.id AS "roomId", r.code, r.last_active > now() - make_interval(secs => $3::int) AS live,
         w.id AS "webhookId", w.label
       FROM ephemeral_rooms r
       LEFT JOIN ephemeral_webhooks w ON w.room_id = r.id AND w.token_hash = $2
       WHERE r.code = $1`,
      [code, tokenHash, ttlSeconds],
    );
  }
}
