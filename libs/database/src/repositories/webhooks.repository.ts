import { Injectable } from '@nestjs/common';
import { BaseRepository, Tx } from './queryable';

export interface WebhookRecord {
  id: string;
  workspaceId: string;
  channelId: string;
  name: string;
  /** Default avatar of the bot's messages (a post may name its own). */
  avatarUrl: string | null;
  createdBy: string | null;
  createdAt: Date;
}

const WEBHOOK = `w.id, w.workspace_id AS "workspaceId", w.conversation_id AS "channelId", w.name,
  w.avatar_url AS "avatarUrl", w.created_by AS "createdBy", w.created_at AS "createdAt"`;

@Injectable()
export class WebhooksRepository extends BaseRepository {
  list(workspaceId: string): Promise<WebhookRecord[]> {
    return this.rows(`SELECT ${WEBHOOK} FROM webhooks w WHERE w.workspace_id = $1 ORDER BY w.created_at, w.id`, [
      workspaceId,
    ]);
  }

  listForChannel(workspaceId: string, channelId: string, tx?: Tx): Promise<WebhookRecord[]> {
    return this.rows(
      `SELECT ${WEBHOOK} FROM webhooks w WHERE w.workspace_id = $1 AND w.conversation_id = $2 ORDER BY w.created_at`,
      [workspaceId, channelId],
      tx,
    );
  }

  create(
    workspaceId: string,
    webhook: { channelId: string; name: string; avatarUrl: string | null; tokenHash: Buffer; createdBy: string },
    tx: Tx,
  ): Promise<WebhookRecord | undefined> {
    return this.one(
      `INSERT INTO webhooks AS w (workspace_id, conversation_id, name, avatar_url, token_hash, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${WEBHOOK}`,
      [workspaceId, webhook.channelId, webhook.name, webhook.avatarUrl, webhook.tokenHash, webhook.createdBy],
      tx,
    );
  }

  delete(workspaceId: string, webhookId: string, tx: Tx): Promise<WebhookRecord | undefined> {
    return this.one(
      `DELETE FROM webhooks w WHERE w.workspace_id = $1 AND w.id = $2 RETURNING ${WEBHOOK}`,
      [workspaceId, webhookId],
      tx,
    );
  }

  /**
   * The one lookup not scoped by workspace: the token *is* the credential that names the
   * workspace. Matches on id and token hash together, so neither alone finds anything.
   */
  findByCredentials(webhookId: string, tokenHash: Buffer): Promise<WebhookRecord | undefined> {
    return this.one(`SELECT ${WEBHOOK} FROM webhooks w WHERE w.id = $1 AND w.token_hash = $2`, [webhookId, tokenHash]);
  }
}
