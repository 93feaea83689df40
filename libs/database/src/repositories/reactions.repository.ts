import { Injectable } from '@nestjs/common';
import { BaseRepository, Tx } from './queryable';

/** One row per (message, reaction, user): adding twice or removing what is not there changes nothing. */
@Injectable()
export class ReactionsRepository extends BaseRepository {
  /** True when the reaction was new. */
  async add(workspaceId: string, messageId: string, userId: string, reaction: string, tx: Tx): Promise<boolean> {
    const rows = await this.rows(
      `INSERT INTO message_reactions (message_id, workspace_id, user_id, reaction) VALUES ($2::bigint, $1, $3, $4)
       ON CONFLICT (message_id, reaction, user_id) DO NOTHING RETURNING 1`,
      [workspaceId, messageId, userId, reaction],
      tx,
    );
    return rows.length === 1;
  }

  /** True when there was such a reaction to remove. */
  async remove(workspaceId: string, messageId: string, userId: string, reaction: string, tx: Tx): Promise<boolean> {
    const rows = await this.rows(
      `DELETE FROM message_reactions
       WHERE message_id = $2::bigint AND workspace_id = $1 AND user_id = $3 AND reaction = $4 RETURNING 1`,
      [workspaceId, messageId, userId, reaction],
      tx,
    );
    return rows.length === 1;
  }
}
