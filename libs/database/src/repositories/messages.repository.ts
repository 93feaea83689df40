import { Injectable } from '@nestjs/common';
import { BaseRepository, Tx } from './queryable';

/** `@name` resolved to a member, or `@here` / `@channel`. */
export type Mention = { type: 'user'; id: string } | { type: 'here' } | { type: 'channel' };

export interface MessageRecord {
  id: string;
  workspaceId: string;
  conversationId: string;
  /** Set on a thread reply: the top-level message it answers. */
  threadParentId: string | null;
  authorUserId: string | null;
  authorWebhookId: string | null;
  /** The author's display name: the user's current name, or the bot name stored on the message. */
  authorName: string | null;
  isBot: boolean;
  botAvatarUrl: string | null;
  content: string;
  images: string[];
  mentions: Mention[];
  createdAt: Date;
  updatedAt: Date | null;
  /** `{"👍": [userId, …]}`, reactions in the order they were first used. */
  reactions: Record<string, string[]>;
  thread: ThreadSummary | null;
}

export interface ThreadSummary {
  replyCount: number;
  lastReplyAt: Date;
  lastReplyBy: { id: string; userName: string };
  participants: string[];
}

export interface NewMessage {
  conversationId: string;
  authorUserId: string | null;
  authorWebhookId: string | null;
  botName: string | null;
  botAvatarUrl?: string | null;
  content: string;
  images?: string[];
  mentions?: Mention[];
  /** Webhook posts only: a retry with the same key yields the first message. */
  idempotencyKey?: string | null;
}

/** What the batched write answers per post: the message, or that the key was already used. */
export type BatchOutcome =
  | { message: MessageRecord }
  /** The key was used before; null when that post's transaction committed after this one began. */
  | { duplicateOf: string | null }
  | undefined;

/** Author id as the API shows it: a user id, or `webhook:<id>` for bots. */
const AUTHOR_ID = (m: string) =>
  `CASE WHEN ${m}.bot_name IS NOT NULL THEN 'webhook:' || ${m}.author_webhook_id ELSE ${m}.author_user_id::text END`;

// Columns of one message row `m` joined with its author `u`; the thread summary and reactions come
// from two small lateral lookups (the last reply by primary key, the reactions by their index).
const MESSAGE = `m.id::text AS id, m.workspace_id AS "workspaceId", m.conversation_id AS "conversationId",
  m.thread_parent_id::text AS "threadParentId",
  m.author_user_id AS "authorUserId", m.author_webhook_id AS "authorWebhookId",
  COALESCE(m.bot_name, u.user_name) AS "authorName", m.bot_name IS NOT NULL AS "isBot",
  m.bot_avatar_url AS "botAvatarUrl", m.content, COALESCE(m.images, '{}') AS images,
  COALESCE(m.mentions, '[]'::jsonb) AS mentions, m.created_at AS "createdAt", m.updated_at AS "updatedAt",
  COALESCE(rx.reactions, '{}'::json) AS reactions,
  CASE WHEN m.reply_count > 0 THEN json_build_object(
    'replyCount', m.reply_count, 'lastReplyAt', lr.created_at,
    'lastReplyBy', json_build_object('id', lr.author_id, 'userName', lr.author_name),
    'participants', m.thread_participants) END AS thread`;

/**
 * The messages `pageSql` selects (rows of `messages`), shaped by MESSAGE: the page is read once, the
 * reactions of all its messages aggregated in one pass, the last reply of each thread found by
 * primary key. Ordered newest first.
 */
const shapedMessages = (pageSql: string) => `WITH page AS MATERIALIZED (${pageSql}),
  rx AS (
    SELECT g.message_id, json_object_agg(g.reaction, g.user_ids ORDER BY g.first_at) AS reactions FROM (
      SELECT message_id, reaction, json_agg(user_id ORDER BY created_at) AS user_ids, min(created_at) AS first_at
      FROM message_reactions WHERE message_id IN (SELECT id FROM page) GROUP BY message_id, reaction
    ) g GROUP BY g.message_id
  )
  SELECT ${MESSAGE} FROM page m
  LEFT JOIN users u ON u.id = m.author_user_id
  LEFT JOIN LATERAL (
    SELECT r.created_at, COALESCE(${AUTHOR_ID('r')}, 'deleted') AS author_id,
      COALESCE(r.bot_name, ru.user_name, 'deleted user') AS author_name
    FROM messages r LEFT JOIN users ru ON ru.id = r.author_user_id WHERE r.id = m.last_reply_id
  ) lr ON m.last_reply_id IS NOT NULL
  LEFT JOIN rx ON rx.message_id = m.id
  ORDER BY m.id DESC`;

interface MessageRow extends Omit<MessageRecord, 'thread'> {
  thread: {
    replyCount: number;
    lastReplyAt: string;
    lastReplyBy: { id: string; userName: string };
    participants: string[];
  } | null;
}

const toRecord = (row: MessageRow): MessageRecord => ({
  ...row,
  thread: row.thread && { ...row.thread, lastReplyAt: new Date(row.thread.lastReplyAt) },
});

/**
 * The batched insert (see insertBatchWithEvents). `keyed` adds the Idempotency-Key step: the key rows
 * are inserted first (`ON CONFLICT DO NOTHING`), only posts whose key was new are written, and the
 * others answer with the message their key points to.
 */
function insertBatchSql(keyed: boolean): string {
  const draw = `SELECT i.*, nextval(pg_get_serial_sequence('messages', 'id')) AS id
         FROM input i
         WHERE i.author_webhook_id IS NULL OR i.author_webhook_id IN (SELECT id FROM alive)
         ORDER BY i.ord`;
  const accept = keyed
    ? `candidates AS MATERIALIZED (
         ${draw}
       ), keyed AS (
         INSERT INTO webhook_idempotency_keys (webhook_id, key, message_id)
         SELECT author_webhook_id, idempotency_key, id FROM candidates
         WHERE idempotency_key IS NOT NULL AND author_webhook_id IS NOT NULL
         -- One order for every writer, so two batches claiming the same keys cannot deadlock.
         ORDER BY author_webhook_id, idempotency_key
         ON CONFLICT (webhook_id, key) DO NOTHING
         RETURNING message_id
       ), accepted AS MATERIALIZED (
         SELECT * FROM candidates c
         WHERE c.idempotency_key IS NULL OR c.author_webhook_id IS NULL OR c.id IN (SELECT message_id FROM keyed)
       )`
    : `accepted AS MATERIALIZED (
         ${draw}
       )`;
  const skipped = keyed
    ? `UNION ALL
       -- Posts whose key was taken: by an earlier statement, or by another row of this batch.
       SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, c.ord::text, true,
         COALESCE(
           (SELECT a.id FROM accepted a
            WHERE a.author_webhook_id = c.author_webhook_id AND a.idempotency_key = c.idempotency_key),
           (SELECT k.message_id FROM webhook_idempotency_keys k
            WHERE k.webhook_id = c.author_webhook_id AND k.key = c.idempotency_key))::text
       FROM candidates c WHERE c.id NOT IN (SELECT id FROM accepted)`
    : '';
  return `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                              $8::text[], $9::text[], $10::text[])
           WITH ORDINALITY AS i(workspace_id, conversation_id, author_user_id, author_webhook_id, bot_name,
                                bot_avatar_url, content, images_json, mentions_json, idempotency_key, ord)
       ), alive AS (
         SELECT w.id FROM webhooks w
         WHERE w.id IN (SELECT author_webhook_id FROM input WHERE author_webhook_id IS NOT NULL)
         FOR KEY SHARE
       ), ${accept}, inserted AS (
         INSERT INTO messages (id, workspace_id, conversation_id, author_user_id, author_webhook_id, bot_name,
                               bot_avatar_url, content, images, mentions)
         OVERRIDING SYSTEM VALUE
         SELECT id, workspace_id, conversation_id, author_user_id, author_webhook_id, bot_name, bot_avatar_url, content,
           CASE WHEN images_json IS NULL THEN NULL
             ELSE ARRAY(SELECT json_array_elements_text(images_json::json)) END,
           mentions_json::jsonb
         FROM accepted
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
             THEN json_build_object('id', 'webhook:' || s.author_webhook_id, 'userName', s.bot_name, 'isBot', true,
                                    'avatarUrl', s.bot_avatar_url)
             ELSE json_build_object('id', s.author_user_id, 'userName', s.user_name) END,
           'content', s.content,
           'images', COALESCE(to_json(s.images), '[]'::json),
           'mentions', COALESCE(s.mentions, '[]'::jsonb),
           'createdAt', floor(extract(epoch FROM s.created_at) * 1000)::bigint,
           'updatedAt', NULL,
           'reactions', '{}'::json,
           'threadMeta', NULL)
         FROM shaped s ORDER BY s.ord
       )
       SELECT s.id::text AS id, s.workspace_id AS "workspaceId", s.conversation_id AS "conversationId",
         NULL AS "threadParentId", s.author_user_id AS "authorUserId", s.author_webhook_id AS "authorWebhookId",
         COALESCE(s.bot_name, s.user_name) AS "authorName", s.bot_name IS NOT NULL AS "isBot",
         s.bot_avatar_url AS "botAvatarUrl", s.content, COALESCE(s.images, '{}') AS images,
         COALESCE(s.mentions, '[]'::jsonb) AS mentions,
         s.created_at AS "createdAt", s.updated_at AS "updatedAt", s.ord::text AS ord, false AS skipped,
         NULL AS "duplicateOf"
       FROM shaped s
       ${skipped}`;
}
const INSERT_BATCH = insertBatchSql(false);
const INSERT_BATCH_KEYED = insertBatchSql(true);

@Injectable()
export class MessagesRepository extends BaseRepository {
  /**
   * One page, oldest → newest, of the top-level messages before `before` (exclusive); a prepared
   * statement, since planning its joins cost more than running them. Keyset
   * pagination on messages_conversation_id_thread_parent_id_id_idx: the cost is the page size, not the history.
   */
  async listPage(
    workspaceId: string,
    conversationId: string,
    page: { limit: number; before: string | undefined },
  ): Promise<MessageRecord[]> {
    const before = page.before;
    const rows = await this.prepared<MessageRow>(
      // Two statements, with and without `before`: a generic plan cannot use `id < $n` inside an OR.
      before ? 'parley_list_page_before' : 'parley_list_page',
      shapedMessages(`SELECT * FROM messages
         WHERE conversation_id = $2 AND workspace_id = $1 AND thread_parent_id IS NULL${before ? ' AND id < $4::bigint' : ''}
         ORDER BY id DESC LIMIT $3`),
      before ? [workspaceId, conversationId, page.limit, before] : [workspaceId, conversationId, page.limit],
    );
    return rows.reverse().map(toRecord);
  }

  /** One page of a thread's replies, oldest → newest (index messages_thread_parent_id_id_idx). */
  async listReplies(
    workspaceId: string,
    parentId: string,
    page: { limit: number; before: string | undefined },
  ): Promise<MessageRecord[]> {
    const before = page.before;
    const rows = await this.prepared<MessageRow>(
      // Two statements, with and without `before`: a generic plan cannot use `id < $n` inside an OR.
      before ? 'parley_list_replies_before' : 'parley_list_replies',
      shapedMessages(`SELECT * FROM messages
         WHERE thread_parent_id = $2::bigint AND workspace_id = $1${before ? ' AND id < $4::bigint' : ''}
         ORDER BY id DESC LIMIT $3`),
      before ? [workspaceId, parentId, page.limit, before] : [workspaceId, parentId, page.limit],
    );
    return rows.reverse().map(toRecord);
  }

  async findById(workspaceId: string, messageId: string, tx?: Tx): Promise<MessageRecord | undefined> {
    const row = await this.one<MessageRow>(
      shapedMessages('SELECT * FROM messages WHERE workspace_id = $1 AND id = $2::bigint'),
      [workspaceId, messageId],
      tx,
    );
    return row && toRecord(row);
  }

  /**
   * Writes a batch of new top-level channel messages *and* their NEW_MESSAGE events in one
   * statement — one round trip, one implicit transaction, so the answer can follow the commit at
   * once. A batch may span workspaces (concurrent posts are written together): each row carries its
   * own, and the composite foreign key keeps it inside its conversation's workspace. Bot rows are
   * written only if their webhook still exists, locked against deletion until commit. A bot row with
   * an Idempotency-Key is written only if the key is new; its key row is inserted in the same
   * statement. Returns, per input row, the message written, the id of the message an earlier post
   * with the same key wrote, or undefined (webhook gone).
   *
   * The event payload is built here in SQL and must equal the API's message shape (toMessageDto);
   * test/sse.e2e-spec.ts asserts the two are identical.
   */
  async insertBatchWithEvents(messages: Array<NewMessage & { workspaceId: string }>): Promise<BatchOutcome[]> {
    // Posts with an Idempotency-Key are rare: the common batch runs the leaner statement.
    const keyed = messages.some((m) => m.idempotencyKey);
    const rows = await this.prepared<
      Omit<MessageRow, 'reactions' | 'thread'> & { ord: string; skipped: boolean; duplicateOf: string | null }
    >(keyed ? 'parley_insert_batch_keyed' : 'parley_insert_batch', keyed ? INSERT_BATCH_KEYED : INSERT_BATCH, [
      messages.map((m) => m.workspaceId),
      messages.map((m) => m.conversationId),
      messages.map((m) => m.authorUserId),
      messages.map((m) => m.authorWebhookId),
      messages.map((m) => m.botName),
      messages.map((m) => m.botAvatarUrl ?? null),
      messages.map((m) => m.content),
      messages.map((m) => (m.images && m.images.length > 0 ? JSON.stringify(m.images) : null)),
      messages.map((m) => (m.mentions && m.mentions.length > 0 ? JSON.stringify(m.mentions) : null)),
      messages.map((m) => m.idempotencyKey ?? null),
    ]);
    const byOrd = new Map<number, BatchOutcome>();
    for (const { ord, skipped, duplicateOf, ...row } of rows) {
      byOrd.set(Number(ord), skipped ? { duplicateOf } : { message: { ...row, reactions: {}, thread: null } });
    }
    return messages.map((_, i) => byOrd.get(i + 1));
  }

  /**
   * Inserts one message outside the batch (thread replies, DMs, bot posts into a thread). A reply
   * also updates its parent's thread summary in the same statement; the caller's transaction
   * records the event.
   */
  async insertOne(
    workspaceId: string,
    message: NewMessage & { threadParentId: string | null },
    tx: Tx,
  ): Promise<MessageRecord> {
    const inserted = await this.one<{ id: string }>(
      `WITH inserted AS (
         INSERT INTO messages (workspace_id, conversation_id, thread_parent_id, author_user_id, author_webhook_id,
                               bot_name, bot_avatar_url, content, images, mentions)
         VALUES ($1, $2, $3::bigint, $4, $5, $6, $7, $8, $9::text[], $10::jsonb)
         RETURNING id, thread_parent_id, ${AUTHOR_ID('messages')} AS author_id
       ), parent AS (
         UPDATE messages p SET reply_count = p.reply_count + 1,
           last_reply_id = GREATEST(p.last_reply_id, i.id),
           thread_participants = CASE WHEN i.author_id = ANY (COALESCE(p.thread_participants, '{}'))
             THEN p.thread_participants ELSE array_append(COALESCE(p.thread_participants, '{}'), i.author_id) END
         FROM inserted i WHERE p.id = i.thread_parent_id
       )
       SELECT id::text AS id FROM inserted`,
      [
        workspaceId,
        message.conversationId,
        message.threadParentId,
        message.authorUserId,
        message.authorWebhookId,
        message.botName,
        message.botAvatarUrl ?? null,
        message.content,
        message.images && message.images.length > 0 ? message.images : null,
        message.mentions && message.mentions.length > 0 ? JSON.stringify(message.mentions) : null,
      ],
      tx,
    );
    const record = inserted && (await this.findById(workspaceId, inserted.id, tx));
    if (!record) throw new Error('inserted message could not be read back');
    return record;
  }

  /**
   * Locks a thread's parent for the rest of the transaction: a reply's delete takes it first, so
   * its summary recompute (a later statement, a fresh snapshot) sees every committed reply and no
   * concurrent reply can change the parent in between.
   */
  async lockParent(workspaceId: string, parentId: string, tx: Tx): Promise<void> {
    await this.rows(
      'SELECT id FROM messages WHERE workspace_id = $1 AND id = $2::bigint FOR UPDATE',
      [workspaceId, parentId],
      tx,
    );
  }

  /** Recomputes a thread's summary from its replies (after a reply is deleted). */
  async refreshThreadSummary(workspaceId: string, parentId: string, tx: Tx): Promise<void> {
    await this.rows(
      `UPDATE messages p SET reply_count = s.reply_count, last_reply_id = s.last_reply_id,
         thread_participants = s.participants
       FROM (
         SELECT count(*)::int AS reply_count, max(id) AS last_reply_id,
           (SELECT array_agg(a.author_id ORDER BY a.first_id) FROM (
              SELECT ${AUTHOR_ID('r')} AS author_id, min(r.id) AS first_id FROM messages r
              WHERE r.thread_parent_id = $2::bigint GROUP BY 1
            ) a) AS participants
         FROM messages WHERE thread_parent_id = $2::bigint
       ) s
       WHERE p.workspace_id = $1 AND p.id = $2::bigint`,
      [workspaceId, parentId],
      tx,
    );
  }

  /** The message a post with this Idempotency-Key wrote, if the key is known. */
  async findByIdempotencyKey(webhookId: string, key: string): Promise<string | undefined> {
    const row = await this.one<{ id: string }>(
      'SELECT message_id::text AS id FROM webhook_idempotency_keys WHERE webhook_id = $1 AND key = $2',
      [webhookId, key],
    );
    return row?.id;
  }

  /**
   * For a bot reply written in `tx` (thread replies do not go through the batch): locks the
   * webhook against deletion until commit, as insertBatchWithEvents does, and claims the
   * Idempotency-Key for the reply. `claimed` is false when an earlier post holds the key (a
   * concurrent one is waited for); the caller then rolls back and answers with that post.
   */
  async claimWebhookReply(
    webhookId: string,
    idempotencyKey: string | null,
    messageId: string,
    tx: Tx,
  ): Promise<{ alive: boolean; claimed: boolean }> {
    const row = await this.one<{ alive: boolean; claimed: boolean }>(
      `WITH alive AS (
         SELECT w.id FROM webhooks w WHERE w.id = $1 FOR KEY SHARE
       ), claimed AS (
         INSERT INTO webhook_idempotency_keys (webhook_id, key, message_id)
         SELECT id, $2, $3::bigint FROM alive WHERE $2::text IS NOT NULL
         ON CONFLICT (webhook_id, key) DO NOTHING
         RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM alive) AS alive, ($2::text IS NULL OR EXISTS (SELECT 1 FROM claimed)) AS claimed`,
      [webhookId, idempotencyKey, messageId],
      tx,
    );
    return row ?? { alive: false, claimed: false };
  }

  async updateContent(
    workspaceId: string,
    messageId: string,
    content: string,
    mentions: Mention[],
    tx: Tx,
  ): Promise<MessageRecord | undefined> {
    const rows = await this.rows(
      `UPDATE messages SET content = $3, mentions = $4::jsonb, updated_at = now()
       WHERE workspace_id = $1 AND id = $2::bigint RETURNING id`,
      [workspaceId, messageId, content, mentions.length > 0 ? JSON.stringify(mentions) : null],
      tx,
    );
    return rows.length === 1 ? this.findById(workspaceId, messageId, tx) : undefined;
  }

  async delete(workspaceId: string, messageId: string, tx: Tx): Promise<boolean> {
    const rows = await this.rows(
      'DELETE FROM messages WHERE workspace_id = $1 AND id = $2::bigint RETURNING id',
      [workspaceId, messageId],
      tx,
    );
    return rows.length === 1;
  }

  /** Members of the workspace whose name or e-mail local part is one of these (lowercase) handles. */
  resolveHandles(workspaceId: string, handles: string[]): Promise<Array<{ id: string; handles: string[] }>> {
    return this.rows(
      `SELECT u.id, ARRAY[lower(u.user_name), lower(split_part(u.email, '@', 1))] AS handles
       FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.workspace_id = $1
         AND (lower(u.user_name) = ANY ($2::text[]) OR lower(split_part(u.email, '@', 1)) = ANY ($2::text[]))`,
      [workspaceId, handles],
    );
  }

  /** Deletes old idempotency keys (kept at least `hours`). */
  async pruneIdempotencyKeys(hours: number): Promise<number> {
    const rows = await this.rows(
      `DELETE FROM webhook_idempotency_keys WHERE created_at < now() - make_interval(hours => $1) RETURNING 1`,
      [hours],
    );
    return rows.length;
  }
}
