import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * History pages, unread counts and a DM's last activity read the newest *top-level* messages of a
 * conversation. Thread replies share their parent's conversation, so with an index on
 * (conversation_id, id) those reads stepped over every reply: a thread of a million bot lines
 * would make each channel list read a million rows. With thread_parent_id in the middle, the
 * top-level messages are one contiguous, id-ordered range (`thread_parent_id IS NULL` is an index
 * condition). It replaces the old index rather than adding one, so ingest maintains no more indexes
 * than before; the leading conversation_id still serves the cascade of a channel delete.
 */
export class TopLevelHistoryIndex1763942400000 implements MigrationInterface {
  name = 'TopLevelHistoryIndex1763942400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX messages_conversation_id_thread_parent_id_id_idx ON messages (conversation_id, thread_parent_id, id);
      DROP INDEX messages_conversation_id_id_idx;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX messages_conversation_id_id_idx ON messages (conversation_id, id);
      DROP INDEX messages_conversation_id_thread_parent_id_id_idx;
    `);
  }
}
