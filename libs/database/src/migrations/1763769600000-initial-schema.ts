import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The foundation schema. Conventions: explicit constraint and index names, every tenant-owned row
 * carries workspace_id, and child rows reference (id, workspace_id) so a row can never point into
 * another workspace. Nothing newer than PostgreSQL 15.
 */
export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workspaces (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        slug text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT workspaces_pkey PRIMARY KEY (id),
        CONSTRAINT workspaces_slug_key UNIQUE (slug),
        CONSTRAINT workspaces_slug_format_check CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$')
      );

      CREATE TABLE workspace_settings (
        workspace_id uuid NOT NULL,
        name text NOT NULL,
        updated_at timestamptz,
        CONSTRAINT workspace_settings_pkey PRIMARY KEY (workspace_id),
        CONSTRAINT workspace_settings_workspace_id_fkey FOREIGN KEY (workspace_id)
          REFERENCES workspaces (id) ON DELETE CASCADE
      );

      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        email text NOT NULL,
        user_name text NOT NULL,
        password_hash text,
        -- Set when a workspace admin chose the password: it then logs in to that workspace only, so
        -- no admin can set a password that opens an identity other workspaces share.
        password_workspace_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz,
        CONSTRAINT users_pkey PRIMARY KEY (id),
        CONSTRAINT users_email_key UNIQUE (email),
        CONSTRAINT users_email_lowercase_check CHECK (email = lower(email))
      );

      CREATE TABLE memberships (
        workspace_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT memberships_pkey PRIMARY KEY (workspace_id, user_id),
        CONSTRAINT memberships_role_check CHECK (role IN ('admin', 'user')),
        CONSTRAINT memberships_workspace_id_fkey FOREIGN KEY (workspace_id)
          REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id)
          REFERENCES users (id) ON DELETE CASCADE
      );
      CREATE INDEX memberships_user_id_idx ON memberships (user_id);

      CREATE TABLE sessions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        workspace_id uuid NOT NULL,
        -- Set for a login with a workspace-scoped password: the session is confined to it.
        restricted_workspace_id uuid,
        refresh_generation integer NOT NULL DEFAULT 0,
        refresh_token_hash bytea NOT NULL,
        previous_refresh_token_hash bytea,
        rotated_at timestamptz,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        CONSTRAINT sessions_pkey PRIMARY KEY (id),
        CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT sessions_workspace_id_fkey FOREIGN KEY (workspace_id)
          REFERENCES workspaces (id) ON DELETE CASCADE
      );
      CREATE INDEX sessions_user_id_idx ON sessions (user_id);

      -- One table for every kind of conversation: channels now, DMs and /v1 rooms later.
      CREATE TABLE conversations (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        kind text NOT NULL,
        name text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz,
        CONSTRAINT conversations_pkey PRIMARY KEY (id),
        CONSTRAINT conversations_id_workspace_id_key UNIQUE (id, workspace_id),
        CONSTRAINT conversations_kind_check CHECK (kind IN ('channel')),
        CONSTRAINT conversations_channel_name_check CHECK (kind <> 'channel' OR name IS NOT NULL),
        CONSTRAINT conversations_workspace_id_fkey FOREIGN KEY (workspace_id)
          REFERENCES workspaces (id) ON DELETE CASCADE,
        CONSTRAINT conversations_created_by_fkey FOREIGN KEY (created_by)
          REFERENCES users (id) ON DELETE SET NULL
      );
      CREATE INDEX conversations_workspace_id_kind_idx ON conversations (workspace_id, kind);
      CREATE UNIQUE INDEX conversations_channel_name_key ON conversations (workspace_id, lower(name))
        WHERE kind = 'channel';

      CREATE TABLE webhooks (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        conversation_id uuid NOT NULL,
        name text NOT NULL,
        token_hash bytea NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhooks_pkey PRIMARY KEY (id),
        CONSTRAINT webhooks_token_hash_key UNIQUE (token_hash),
        CONSTRAINT webhooks_conversation_fkey FOREIGN KEY (conversation_id, workspace_id)
          REFERENCES conversations (id, workspace_id) ON DELETE CASCADE,
        CONSTRAINT webhooks_created_by_fkey FOREIGN KEY (created_by)
          REFERENCES users (id) ON DELETE SET NULL
      );
      CREATE INDEX webhooks_workspace_id_idx ON webhooks (workspace_id);
      CREATE INDEX webhooks_conversation_id_idx ON webhooks (conversation_id);

      -- Ids are a bigint identity: compact, ordered, and the key of keyset pagination.
      CREATE TABLE messages (
        id bigint GENERATED ALWAYS AS IDENTITY,
        workspace_id uuid NOT NULL,
        conversation_id uuid NOT NULL,
        author_user_id uuid,
        -- No FK: a bot message keeps its author id (webhook:<id>) after the webhook is deleted.
        author_webhook_id uuid,
        bot_name text,
        content text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz,
        CONSTRAINT messages_pkey PRIMARY KEY (id),
        CONSTRAINT messages_conversation_fkey FOREIGN KEY (conversation_id, workspace_id)
          REFERENCES conversations (id, workspace_id) ON DELETE CASCADE,
        CONSTRAINT messages_author_user_id_fkey FOREIGN KEY (author_user_id)
          REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT messages_author_check CHECK (author_user_id IS NULL OR bot_name IS NULL)
      );
      CREATE INDEX messages_conversation_id_id_idx ON messages (conversation_id, id);
      CREATE INDEX messages_author_webhook_id_idx ON messages (author_webhook_id)
        WHERE author_webhook_id IS NOT NULL;
      CREATE INDEX messages_author_user_id_idx ON messages (author_user_id);

      -- The event log behind SSE delivery and Last-Event-ID replay. One global sequence: positions
      -- are drawn at insert and can commit out of order; the tailer only delivers a prefix whose
      -- writers have all finished (see libs/events/src/event-log-tailer.ts).
      CREATE SEQUENCE events_position_seq AS bigint;
      -- The tailer's horizon check relies on every writer having its transaction id *before* it
      -- draws a position; the default enforces that for any writer, not just the app.
      CREATE FUNCTION next_event_position() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $fn$
      BEGIN
        PERFORM pg_current_xact_id();
        RETURN nextval('events_position_seq');
      END
      $fn$;
      CREATE TABLE events (
        position bigint NOT NULL DEFAULT next_event_position(),
        workspace_id uuid NOT NULL,
        type text NOT NULL,
        payload json NOT NULL,
        admin_payload json,
        recipient_ids uuid[],
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_pkey PRIMARY KEY (position)
      );
      ALTER SEQUENCE events_position_seq OWNED BY events.position;
      CREATE INDEX events_workspace_id_position_idx ON events (workspace_id, position);
      CREATE INDEX events_created_at_idx ON events USING brin (created_at);

      CREATE TABLE event_log_state (
        id smallint NOT NULL,
        pruned_through bigint NOT NULL DEFAULT 0,
        CONSTRAINT event_log_state_pkey PRIMARY KEY (id),
        CONSTRAINT event_log_state_single_row_check CHECK (id = 1)
      );
      INSERT INTO event_log_state (id, pruned_through) VALUES (1, 0);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE event_log_state; DROP TABLE events; DROP FUNCTION next_event_position(); DROP TABLE messages; DROP TABLE webhooks;
      DROP TABLE conversations; DROP TABLE sessions; DROP TABLE memberships; DROP TABLE users;
      DROP TABLE workspace_settings; DROP TABLE workspaces;
    `);
  }
}
