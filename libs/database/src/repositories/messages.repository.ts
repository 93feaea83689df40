import { Injectable } from '@nestjs/common';
import { BaseRepository, Tx } from './queryable';

export interface MessageRecord {
  id: string;
  workspaceId: string;
  conversationId: string;
  authorUserId: string | null;
  authorWebhookId: string | null;
  /** The author's display name: the user's current name, or the bot name stored on the message. */
  authorName: string | null;
  isBot: boolean;
  content: string;
  createdAt: Date;
  updatedAt: Date | null;
}

export interface NewMessage {
  conversationId: string;
  authorUserId: string | null;
  authorWebhookId: string | null;
  botName: string | null;
  content: string;
}

const MESSAGE = `m.id::text AS id, m.workspace_id AS "workspaceId", m.conversation_id AS "conversationId",
  m.author_user_id AS "authorUserId", m.author_webhook_id AS "authorWebhookId",
  COALESCE(m.bot_name, u.user_name) AS "authorName", m.bot_name IS NOT NULL AS "isBot",
  m.content, m.created_at AS "createdAt", m.updated_at AS "updatedAt"`;

@Injectable()
export class MessagesRepository extends BaseRepository {
  /**
   * One page, oldest → newest, of the messages before `before` (exclusive). Keyset pagination on
   * messages_conversation_id_id_idx: the cost is the page size, not the history length.
   */
  async listPage(
    workspaceId: string,
    conversationId: string,
    page: { limit: number; before: string | undefined },
  ): Promise<MessageRecord[]> {
    const rows = await this.rows<MessageRecord>(
      `SELECT ${MESSAGE} FROM (
         SELECT * FROM messages
         WHERE conversation_id = $2 AND workspace_id = $1 AND ($3::bigint IS NULL OR id < $3::bigint)
         ORDER BY id DESC LIMIT $4
       ) m LEFT JOIN users u ON u.id = m.author_user_id
       ORDER BY m.id DESC`,
      [workspaceId, conversationId, page.before ?? null, page.limit],
    );
    return rows.reverse();
  }

  findById(workspaceId: string, messageId: string, tx?: Tx): Promise<MessageRecord | undefined> {
    return this.one(
      `SELECT ${MESSAGE} FROM messages m LEFT JOIN users u ON u.id = m.author_user_id
       WHERE m.workspace_id = $1 AND m.id = $2::bigint`,
      [workspaceId, messageId],
      tx,
    );
  }

  /**
   * Inserts a batch of messages in one statement and returns them in input order. A batch may
   * span workspaces (concurrent posts are written together), so each row carries its own
   * workspace; the composite foreign key keeps every row inside its conversation's workspace.
   */
  async insertBatch(messages: Array<NewMessage & { workspaceId: string }>, tx: Tx): Promise<MessageRecord[]> {
    return this.rows<MessageRecord>(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[])
           WITH ORDINALITY AS i(workspace_id, conversation_id, author_user_id, author_webhook_id, bot_name, content, ord)
       ), inserted AS (
         INSERT INTO messages (workspace_id, conversation_id, author_user_id, author_webhook_id, bot_name, content)
         SELECT workspace_id, conversation_id, author_user_id, author_webhook_id, bot_name, content FROM input ORDER BY ord
         RETURNING *
       )
       SELECT ${MESSAGE} FROM inserted m LEFT JOIN users u ON u.id = m.author_user_id ORDER BY m.id`,
      [
        messages.map((m) => m.workspaceId),
        messages.map((m) => m.conversationId),
        messages.map((m) => m.authorUserId),
        messages.map((m) => m.authorWebhookId),
        messages.map((m) => m.botName),
        messages.map((m) => m.content),
      ],
      tx,
    );
  }

  updateContent(workspaceId: string, messageId: string, content: string, tx: Tx): Promise<MessageRecord | undefined> {
    return this.one(
      `WITH updated AS (
         UPDATE messages SET content = $3, updated_at = now()
         WHERE workspace_id = $1 AND id = $2::bigint RETURNING *
       ) SELECT ${MESSAGE} FROM updated m LEFT JOIN users u ON u.id = m.author_user_id`,
      [workspaceId, messageId, content],
      tx,
    );
  }

  async delete(workspaceId: string, messageId: string, tx: Tx): Promise<boolean> {
    const rows = await this.rows(
      'DELETE FROM messages WHERE workspace_id = $1 AND id = $2::bigint RETURNING id',
      [workspaceId, messageId],
      tx,
    );
    return rows.length === 1;
  }
}
