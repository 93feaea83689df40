import { Injectable } from '@nestjs/common';
import { BaseRepository, Tx } from './queryable';

/** One row per (message, reaction, user): adding twice or removing what is not there changes nothing. */
@Injectable()
export class ReactionsRepository extends BaseRepository {
  /**
   * Adds the user's reaction: `added` when it was new, `refused` when the message already has
   * `maxDistinct` different reactions and this is not one of them (the cap keeps a message's
   * reactions, aggregated into every history page, small).
   */
  async add(
    workspaceId: string,
    messageId: string,
    userId: string,
    reaction: string,
    maxDistinct: number,
    tx: Tx,
  ): Promise<'added' | 'unchanged' | 'refused'> {
    const row = await this.one<{ added: boolean; allowed: boolean }>(
      `WITH present AS (
         SELECT count(DISTINCT reaction) AS distinct_count, COALESCE(bool_or(reaction = $4), false) AS known
         FROM message_reactions WHERE message_id = $2::bigint
       ), added AS (
         INSERT INTO message_reactions (message_id, workspace_id, user_id, reaction)
         SELECT $2::bigint, $1, $3, $4 FROM present WHERE known OR distinct_count < $5
         ON CONFLICT (message_id, reaction, user_id) DO NOTHING RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM added) AS added, (SELECT known OR distinct_count < $5 FROM present) AS allowed`,
      [workspaceId, messageId, userId, reaction, maxDistinct],
      tx,
    );
    if (!row?.allowed) return 'refused';
    return row.added ? 'added' : 'unchanged';
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
