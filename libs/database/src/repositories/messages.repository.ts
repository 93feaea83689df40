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
   * Writes a batch of new messages *and* their NEW_MESSAGE events in one statement — one round
   * trip, one implicit transaction, so the answer can follow the commit at once. A batch may span
   * workspaces (concurrent posts are written together): each row carries its own, and the composite
   * foreign key keeps it inside its conversation's workspace. Bot rows are written only if their
   * webhook still exists, locked against deletion until commit. Returns, per input row, the
   * message written or undefined (webhook gone).
   *
   * The event payload is built here in SQL and must equal the API's message shape (toMessageDto);
   * test/sse.e2e-spec.ts asserts the two are identical.
   */
  async insertBatchWithEvents(
    messages: Array<NewMessage & { workspaceId: string }>,
  ): Promise<Array<MessageRecord | undefined>> {
    const rows = await this.rows<MessageRecord & { ord: string }>(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[])
           WITH ORDINALITY AS i(workspace_id, conversation_id, author_user_id, author_webhook_id, bot_name, content, ord)
       ), alive AS (
         SELECT w.id FROM webhooks w
         WHERE w.id IN (SELECT author_webhook_id FROM input WHERE author_webhook_id IS NOT NULL)
         FOR KEY SHARE
       ), accepted AS MATERIALIZED (
         SELECT i.*, nextval(pg_get_serial_sequence('messages', 'id')) AS id
         FROM input i
         WHERE i.author_webhook_id IS NULL OR i.author_webhook_id IN (SELECT id FROM alive)
         ORDER BY i.ord
       ), inserted AS (
         INSERT INTO messages (id, workspace_id, conversation_id, author_user_id, author_webhook_id, bot_name, content)
         OVERRIDING SYSTEM VALUE
         SELECT id, workspace_id, conversation_id, author_user_id, author_webhook_id, bot_name, content FROM accepted
         RETURNING *
       ), shaped AS (
         SELECT m.*, u.user_name, a.ord FROM inserted m
         JOIN accepted a ON a.id = m.id
         LEFT JOIN users u ON u.id = m.author_user_id
       ), appended AS (
         INSERT INTO events (workspace_id, type, payload)
         SELECT s.workspace_id, 'NEW_MESSAGE', json_build_object(
           'id', s.id::text,
           'channelId', s.conversation_id,
           'author', CASE WHEN s.bot_name IS NOT NULL
             THEN json_build_object('id', 'webhook:' || s.author_webhook_id, 'userName', s.bot_name, 'isBot', true)
             ELSE json_build_object('id', s.author_user_id, 'userName', s.user_name) END,
           'content', s.content,
           'createdAt', floor(extract(epoch FROM s.created_at) * 1000)::bigint,
           'updatedAt', NULL,
           'reactions', '{}'::json)
         FROM shaped s ORDER BY s.ord
       )
       SELECT s.id::text AS id, s.workspace_id AS "workspaceId", s.conversation_id AS "conversationId",
         s.author_user_id AS "authorUserId", s.author_webhook_id AS "authorWebhookId",
         COALESCE(s.bot_name, s.user_name) AS "authorName", s.bot_name IS NOT NULL AS "isBot",
         s.content, s.created_at AS "createdAt", s.updated_at AS "updatedAt", s.ord::text AS ord
       FROM shaped s`,
      [
        messages.map((m) => m.workspaceId),
        messages.map((m) => m.conversationId),
        messages.map((m) => m.authorUserId),
        messages.map((m) => m.authorWebhookId),
        messages.map((m) => m.botName),
        messages.map((m) => m.content),
      ],
    );
    const byOrd = new Map(rows.map(({ ord, ...row }) => [Number(ord), row]));
    return messages.map((_, i) => byOrd.get(i + 1));
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
