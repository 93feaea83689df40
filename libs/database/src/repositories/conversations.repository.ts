import { Injectable } from '@nestjs/common';
import { ConversationKind } from '../entities';
import { BaseRepository, Tx } from './queryable';

export interface ChannelRecord {
  id: string;
  workspaceId: string;
  name: string;
  createdAt: Date;
  updatedAt: Date | null;
}

/** Any conversation, with its participants when it is a DM (null: every member of the workspace). */
export interface ConversationRef {
  id: string;
  workspaceId: string;
  kind: ConversationKind;
  participants: string[] | null;
}

export interface DmRecord {
  id: string;
  workspaceId: string;
  participants: string[];
  createdAt: Date;
  lastMessageAt: Date | null;
  unreadCount: number;
}

export interface ReadState {
  unreadCount: number;
}

/** Unread messages are counted among the newest this many: the count is bounded, like the UI's "99+". */
export const UNREAD_SCAN_LIMIT = 100;

const CHANNEL = `c.id, c.workspace_id AS "workspaceId", c.name, c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

/**
 * Unread top-level messages of conversation `c` for user $1: others' messages after the read marker
 * `r` and, with no marker, after the user joined (`joined_at`), counted among the newest
 * UNREAD_SCAN_LIMIT so the cost never grows with the history.
 */
const UNREAD_COUNT = `(SELECT count(*)::int FROM (
    SELECT x.author_user_id, x.created_at FROM messages x
    WHERE x.conversation_id = c.id AND x.thread_parent_id IS NULL AND x.id > COALESCE(r.last_read_message_id, 0)
    ORDER BY x.id DESC LIMIT ${UNREAD_SCAN_LIMIT}
  ) n WHERE n.author_user_id IS DISTINCT FROM $1 AND (r.last_read_message_id IS NOT NULL OR n.created_at > joined_at))`;

/** Conversations: channels (every member reads them) and DMs (only their participants). */
@Injectable()
export class ConversationsRepository extends BaseRepository {
  listChannels(workspaceId: string): Promise<ChannelRecord[]> {
    return this.rows(
      `SELECT ${CHANNEL} FROM conversations c WHERE c.workspace_id = $1 AND c.kind = 'channel'
       ORDER BY c.created_at, c.id`,
      [workspaceId],
    );
  }

  /** Channels with the caller's unread count, in one query. */
  listChannelsFor(workspaceId: string, userId: string): Promise<Array<ChannelRecord & ReadState>> {
    return this.rows(
      `SELECT ${CHANNEL}, ${UNREAD_COUNT} AS "unreadCount"
       FROM conversations c
       CROSS JOIN (SELECT created_at AS joined_at FROM memberships WHERE workspace_id = $2 AND user_id = $1) j
       LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.user_id = $1
       WHERE c.workspace_id = $2 AND c.kind = 'channel'
       ORDER BY c.created_at, c.id`,
      [userId, workspaceId],
    );
  }

  /** The caller's DMs, newest activity first, with the other participants and unread counts. */
  listDmsFor(workspaceId: string, userId: string): Promise<DmRecord[]> {
    return this.rows(
      `SELECT c.id, c.workspace_id AS "workspaceId", c.created_at AS "createdAt",
         ARRAY(SELECT p.user_id::text FROM conversation_participants p WHERE p.conversation_id = c.id
               ORDER BY p.user_id) AS participants,
         (SELECT x.created_at FROM messages x WHERE x.conversation_id = c.id AND x.thread_parent_id IS NULL
          ORDER BY x.id DESC LIMIT 1) AS "lastMessageAt",
         ${UNREAD_COUNT} AS "unreadCount"
       FROM conversation_participants me
       JOIN conversations c ON c.id = me.conversation_id AND c.kind = 'dm'
       CROSS JOIN (SELECT created_at AS joined_at FROM memberships WHERE workspace_id = $2 AND user_id = $1) j
       LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.user_id = $1
       WHERE me.user_id = $1 AND me.workspace_id = $2
       ORDER BY "lastMessageAt" DESC NULLS LAST, c.created_at DESC`,
      [userId, workspaceId],
    );
  }

  /** A conversation of this workspace (any kind), with a DM's participants. */
  /** Checked on every conversation route: prepared (planned once per connection) outside transactions. */
  async findConversation(workspaceId: string, conversationId: string, tx?: Tx): Promise<ConversationRef | undefined> {
    const sql = `SELECT c.id, c.workspace_id AS "workspaceId", c.kind,
         CASE WHEN c.kind = 'dm' THEN ARRAY(SELECT p.user_id::text FROM conversation_participants p
                                            WHERE p.conversation_id = c.id ORDER BY p.user_id) END AS participants
       FROM conversations c WHERE c.workspace_id = $1 AND c.id = $2`;
    const params = [workspaceId, conversationId];
    return tx
      ? this.one(sql, params, tx)
      : (await this.prepared<ConversationRef>('parley_find_conversation', sql, params))[0];
  }

  /**
   * Creates the DM between these users, or finds it: `dmKey` (the sorted ids) is unique per
   * workspace, so of two concurrent creates one inserts and the other waits, then finds it.
   */
  async createOrGetDm(
    workspaceId: string,
    participants: string[],
    createdBy: string,
    tx: Tx,
  ): Promise<{ id: string; createdAt: Date; isNew: boolean }> {
    const dmKey = [...participants].sort().join(':');
    const created = await this.one<{ id: string; createdAt: Date }>(
      `INSERT INTO conversations (workspace_id, kind, dm_key, created_by) VALUES ($1, 'dm', $2, $3)
       ON CONFLICT (workspace_id, dm_key) WHERE kind = 'dm' DO NOTHING
       RETURNING id, created_at AS "createdAt"`,
      [workspaceId, dmKey, createdBy],
      tx,
    );
    if (created) {
      await this.rows(
        `INSERT INTO conversation_participants (conversation_id, workspace_id, user_id)
         SELECT $1, $2, unnest($3::uuid[])`,
        [created.id, workspaceId, participants],
        tx,
      );
      return { ...created, isNew: true };
    }
    const existing = await this.one<{ id: string; createdAt: Date }>(
      `SELECT id, created_at AS "createdAt" FROM conversations WHERE workspace_id = $1 AND kind = 'dm' AND dm_key = $2`,
      [workspaceId, dmKey],
      tx,
    );
    if (!existing) throw new Error('DM neither created nor found');
    return { ...existing, isNew: false };
  }

  /**
   * Moves the user's read marker to `messageId` (a top-level message of the conversation).
   * Returns undefined when the message is not in it.
   */
  async markRead(
    workspaceId: string,
    conversationId: string,
    userId: string,
    messageId: string,
  ): Promise<{ lastReadMessageId: string } | undefined> {
    return this.one(
      `INSERT INTO conversation_reads (conversation_id, workspace_id, user_id, last_read_message_id)
       SELECT m.conversation_id, m.workspace_id, $3, m.id FROM messages m
       WHERE m.workspace_id = $1 AND m.conversation_id = $2 AND m.id = $4::bigint AND m.thread_parent_id IS NULL
       ON CONFLICT (conversation_id, user_id)
         DO UPDATE SET last_read_message_id = excluded.last_read_message_id, updated_at = now()
       RETURNING last_read_message_id::text AS "lastReadMessageId"`,
      [workspaceId, conversationId, userId, messageId],
    );
  }

  /** Display names of these users (DM participants). */
  namesOf(userIds: string[]): Promise<Array<{ id: string; userName: string }>> {
    return this.rows('SELECT id, user_name AS "userName" FROM users WHERE id = ANY ($1::uuid[])', [userIds]);
  }

  /** The caller's unread count in one conversation. */
  async unreadCount(workspaceId: string, conversationId: string, userId: string): Promise<number> {
    const row = await this.one<{ unreadCount: number }>(
      `SELECT ${UNREAD_COUNT} AS "unreadCount"
       FROM conversations c
       CROSS JOIN (SELECT created_at AS joined_at FROM memberships WHERE workspace_id = $2 AND user_id = $1) j
       LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.user_id = $1
       WHERE c.workspace_id = $2 AND c.id = $3`,
      [userId, workspaceId, conversationId],
    );
    return row?.unreadCount ?? 0;
  }

  findChannel(workspaceId: string, channelId: string, tx?: Tx): Promise<ChannelRecord | undefined> {
    return this.one(
      `SELECT ${CHANNEL} FROM conversations c WHERE c.workspace_id = $1 AND c.id = $2 AND c.kind = 'channel'`,
      [workspaceId, channelId],
      tx,
    );
  }

  /** Undefined when a channel of that name (case-insensitive) exists. */
  createChannel(
    workspaceId: string,
    name: string,
    createdBy: string | null,
    tx: Tx,
  ): Promise<ChannelRecord | undefined> {
    return this.one(
      `INSERT INTO conversations AS c (workspace_id, kind, name, created_by) VALUES ($1, 'channel', $2, $3)
       ON CONFLICT (workspace_id, lower(name)) WHERE kind = 'channel' DO NOTHING RETURNING ${CHANNEL}`,
      [workspaceId, name, createdBy],
      tx,
    );
  }

  /** Throws the unique violation (23505) when the new name is taken; the service maps it to 409. */
  renameChannel(workspaceId: string, channelId: string, name: string, tx: Tx): Promise<ChannelRecord | undefined> {
    return this.one(
      `UPDATE conversations c SET name = $3, updated_at = now()
       WHERE c.workspace_id = $1 AND c.id = $2 AND c.kind = 'channel' RETURNING ${CHANNEL}`,
      [workspaceId, channelId, name],
      tx,
    );
  }

  /** Deletes the channel; its messages and webhooks go with it (ON DELETE CASCADE). */
  deleteChannel(workspaceId: string, channelId: string, tx: Tx): Promise<ChannelRecord | undefined> {
    return this.one(
      `DELETE FROM conversations c WHERE c.workspace_id = $1 AND c.id = $2 AND c.kind = 'channel'
       RETURNING ${CHANNEL}`,
      [workspaceId, channelId],
      tx,
    );
  }
}
