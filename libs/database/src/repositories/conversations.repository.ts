import { Injectable } from '@nestjs/common';
import { BaseRepository, Tx } from './queryable';

export interface ChannelRecord {
  id: string;
  workspaceId: string;
  name: string;
  createdAt: Date;
  updatedAt: Date | null;
}

const CHANNEL = `c.id, c.workspace_id AS "workspaceId", c.name, c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

/** Conversations of kind 'channel'. DMs and rooms will be other kinds in the same table. */
@Injectable()
export class ConversationsRepository extends BaseRepository {
  listChannels(workspaceId: string): Promise<ChannelRecord[]> {
    return this.rows(
      `SELECT ${CHANNEL} FROM conversations c WHERE c.workspace_id = $1 AND c.kind = 'channel'
       ORDER BY c.created_at, c.id`,
      [workspaceId],
    );
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
