import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Everything team chat needs beyond the foundation: DMs, threads, reactions, read markers, images,
 * mentions, bot avatars, one-time tokens (magic links, invites, resets), login rate limits,
 * OAuth identities and webhook idempotency keys. Nothing newer than PostgreSQL 15.
 */
export class TeamChat1763856000000 implements MigrationInterface {
  name = 'TeamChat1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- DMs are conversations of kind 'dm'; dm_key is the sorted participant pair, so a concurrent
      -- create-or-get meets the unique index and yields one conversation.
      ALTER TABLE conversations DROP CONSTRAINT conversations_kind_check;
      ALTER TABLE conversations ADD CONSTRAINT conversations_kind_check CHECK (kind IN ('channel', 'dm'));
      ALTER TABLE conversations ADD COLUMN dm_key text;
      ALTER TABLE conversations ADD CONSTRAINT conversations_dm_key_check CHECK ((kind = 'dm') = (dm_key IS NOT NULL));
      CREATE UNIQUE INDEX conversations_dm_key_key ON conversations (workspace_id, dm_key) WHERE kind = 'dm';

      CREATE TABLE conversation_participants (
        conversation_id uuid NOT NULL,
        workspace_id uuid NOT NULL,
        user_id uuid NOT NULL,
        CONSTRAINT conversation_participants_pkey PRIMARY KEY (conversation_id, user_id),
        CONSTRAINT conversation_participants_conversation_fkey FOREIGN KEY (conversation_id, workspace_id)
          REFERENCES conversations (id, workspace_id) ON DELETE CASCADE,
        CONSTRAINT conversation_participants_user_id_fkey FOREIGN KEY (user_id)
          REFERENCES users (id) ON DELETE CASCADE
      );
      CREATE INDEX conversation_participants_user_id_idx ON conversation_participants (user_id, workspace_id);

      -- Threads: a reply is a message with thread_parent_id; the parent keeps the thread's summary,
      -- updated in the same transaction as every reply change.
      ALTER TABLE messages
        ADD COLUMN thread_parent_id bigint,
        ADD COLUMN reply_count integer NOT NULL DEFAULT 0,
        ADD COLUMN last_reply_id bigint,
        ADD COLUMN thread_participants text[],
        ADD COLUMN bot_avatar_url text,
        ADD COLUMN images text[],
        ADD COLUMN mentions jsonb;
      ALTER TABLE messages ADD CONSTRAINT messages_thread_parent_id_fkey FOREIGN KEY (thread_parent_id)
        REFERENCES messages (id) ON DELETE CASCADE;
      CREATE INDEX messages_thread_parent_id_id_idx ON messages (thread_parent_id, id)
        WHERE thread_parent_id IS NOT NULL;

      ALTER TABLE webhooks ADD COLUMN avatar_url text;

      CREATE TABLE message_reactions (
        message_id bigint NOT NULL,
        workspace_id uuid NOT NULL,
        user_id uuid NOT NULL,
        reaction text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT message_reactions_pkey PRIMARY KEY (message_id, reaction, user_id),
        CONSTRAINT message_reactions_message_id_fkey FOREIGN KEY (message_id)
          REFERENCES messages (id) ON DELETE CASCADE,
        CONSTRAINT message_reactions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      );

      -- Per-user read marker per conversation: the newest message the user has seen.
      CREATE TABLE conversation_reads (
        conversation_id uuid NOT NULL,
        workspace_id uuid NOT NULL,
        user_id uuid NOT NULL,
        last_read_message_id bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT conversation_reads_pkey PRIMARY KEY (conversation_id, user_id),
        CONSTRAINT conversation_reads_conversation_fkey FOREIGN KEY (conversation_id, workspace_id)
          REFERENCES conversations (id, workspace_id) ON DELETE CASCADE,
        CONSTRAINT conversation_reads_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      );

      -- Uploaded images; the bytes live behind the storage interface, this row says who may see them.
      CREATE TABLE images (
        conversation_id uuid NOT NULL,
        workspace_id uuid NOT NULL,
        filename text NOT NULL,
        content_type text NOT NULL,
        byte_size integer NOT NULL,
        thumb_content_type text NOT NULL,
        uploaded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT images_pkey PRIMARY KEY (conversation_id, filename),
        CONSTRAINT images_conversation_fkey FOREIGN KEY (conversation_id, workspace_id)
          REFERENCES conversations (id, workspace_id) ON DELETE CASCADE,
        CONSTRAINT images_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES users (id) ON DELETE SET NULL
      );

      -- Magic links, invites and password resets: only the SHA-256 of the token is kept.
      CREATE TABLE one_time_tokens (
        token_hash bytea NOT NULL,
        purpose text NOT NULL,
        user_id uuid NOT NULL,
        workspace_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        CONSTRAINT one_time_tokens_pkey PRIMARY KEY (token_hash),
        CONSTRAINT one_time_tokens_purpose_check
          CHECK (purpose IN ('magic-link', 'invite', 'password-reset', 'initial-admin')),
        CONSTRAINT one_time_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT one_time_tokens_workspace_id_fkey FOREIGN KEY (workspace_id)
          REFERENCES workspaces (id) ON DELETE CASCADE
      );
      CREATE INDEX one_time_tokens_user_id_idx ON one_time_tokens (user_id);
      CREATE INDEX one_time_tokens_expires_at_idx ON one_time_tokens (expires_at);

      -- Fixed-window counters shared by every server process (login rate limits).
      CREATE TABLE rate_limit_counters (
        bucket text NOT NULL,
        window_start timestamptz NOT NULL,
        count integer NOT NULL,
        CONSTRAINT rate_limit_counters_pkey PRIMARY KEY (bucket, window_start)
      );
      CREATE INDEX rate_limit_counters_window_start_idx ON rate_limit_counters (window_start);

      CREATE TABLE oauth_identities (
        provider text NOT NULL,
        subject text NOT NULL,
        user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT oauth_identities_pkey PRIMARY KEY (provider, subject),
        CONSTRAINT oauth_identities_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      );
      CREATE INDEX oauth_identities_user_id_idx ON oauth_identities (user_id);

      -- A retried webhook post with the same Idempotency-Key finds its first message here.
      CREATE TABLE webhook_idempotency_keys (
        webhook_id uuid NOT NULL,
        key text NOT NULL,
        message_id bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_idempotency_keys_pkey PRIMARY KEY (webhook_id, key),
        CONSTRAINT webhook_idempotency_keys_webhook_id_fkey FOREIGN KEY (webhook_id)
          REFERENCES webhooks (id) ON DELETE CASCADE
      );
      CREATE INDEX webhook_idempotency_keys_created_at_idx ON webhook_idempotency_keys USING brin (created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE webhook_idempotency_keys; DROP TABLE oauth_identities; DROP TABLE rate_limit_counters;
      DROP TABLE one_time_tokens; DROP TABLE images; DROP TABLE conversation_reads; DROP TABLE message_reactions;
      ALTER TABLE webhooks DROP COLUMN avatar_url;
      DROP INDEX messages_thread_parent_id_id_idx;
      ALTER TABLE messages DROP CONSTRAINT messages_thread_parent_id_fkey;
      ALTER TABLE messages DROP COLUMN thread_parent_id, DROP COLUMN reply_count, DROP COLUMN last_reply_id,
        DROP COLUMN thread_participants, DROP COLUMN bot_avatar_url, DROP COLUMN images, DROP COLUMN mentions;
      DROP TABLE conversation_participants;
      DELETE FROM conversations WHERE kind = 'dm';
      DROP INDEX conversations_dm_key_key;
      ALTER TABLE conversations DROP CONSTRAINT conversations_dm_key_check;
      ALTER TABLE conversations DROP COLUMN dm_key;
      ALTER TABLE conversations DROP CONSTRAINT conversations_kind_check;
      ALTER TABLE conversations ADD CONSTRAINT conversations_kind_check CHECK (kind IN ('channel'));
    `);
  }
}
