import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ephemeral rooms (PRODUCT.md §5): account-less rooms that vanish after ROOM_TTL_SECONDS without a
 * post. Named ephemeral_* so they never share a name with the `/v1` rooms (§7), which will be
 * conversations. Room names, senders, contents and webhook labels are `bytea` envelopes written by
 * AtRestCipher (libs/crypto): AES-256-GCM with PARLEY_ENC_KEY, a plaintext envelope without it.
 * Tokens are stored as SHA-256 only. Nothing newer than PostgreSQL 15.
 */
export class EphemeralRooms1764028800000 implements MigrationInterface {
  name = 'EphemeralRooms1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Every post updates last_active. It is deliberately not indexed, so that update is a HOT
      -- update (no index entry per post), helped by the free space fillfactor leaves on each page;
      -- the sweeper scans live rooms only (expired ones are deleted), which stays cheap.
      CREATE TABLE ephemeral_rooms (
        id bigint GENERATED ALWAYS AS IDENTITY,
        code text NOT NULL,
        name bytea,
        admin_token_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_active timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ephemeral_rooms_pkey PRIMARY KEY (id),
        CONSTRAINT ephemeral_rooms_code_key UNIQUE (code),
        -- 7 characters of the unambiguous alphabet: no 0/O, 1/I/L.
        CONSTRAINT ephemeral_rooms_code_check CHECK (code ~ '^[A-HJKMNP-Z2-9]{7}$'),
        CONSTRAINT ephemeral_rooms_admin_token_hash_check CHECK (octet_length(admin_token_hash) = 32)
      ) WITH (fillfactor = 70);

      CREATE TABLE ephemeral_messages (
        id bigint GENERATED ALWAYS AS IDENTITY,
        room_id bigint NOT NULL,
        sender bytea NOT NULL,
        content bytea NOT NULL,
        -- A generated name (never the client's) under PARLEY_DATA_DIR/rooms/<room_id>/, and its type.
        file_name text,
        file_type text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ephemeral_messages_pkey PRIMARY KEY (id),
        CONSTRAINT ephemeral_messages_room_id_fkey FOREIGN KEY (room_id)
          REFERENCES ephemeral_rooms (id) ON DELETE CASCADE,
        CONSTRAINT ephemeral_messages_file_check CHECK ((file_name IS NULL) = (file_type IS NULL))
      );
      -- The newest 100 of a room, and the cascade of a room's delete.
      CREATE INDEX ephemeral_messages_room_id_id_idx ON ephemeral_messages (room_id, id);
      CREATE UNIQUE INDEX ephemeral_messages_room_id_file_name_key ON ephemeral_messages (room_id, file_name)
        WHERE file_name IS NOT NULL;

      CREATE TABLE ephemeral_webhooks (
        id bigint GENERATED ALWAYS AS IDENTITY,
        room_id bigint NOT NULL,
        label bytea,
        token_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ephemeral_webhooks_pkey PRIMARY KEY (id),
        CONSTRAINT ephemeral_webhooks_room_id_fkey FOREIGN KEY (room_id)
          REFERENCES ephemeral_rooms (id) ON DELETE CASCADE,
        CONSTRAINT ephemeral_webhooks_token_hash_key UNIQUE (token_hash),
        CONSTRAINT ephemeral_webhooks_token_hash_check CHECK (octet_length(token_hash) = 32)
      );
      CREATE INDEX ephemeral_webhooks_room_id_idx ON ephemeral_webhooks (room_id);

      -- What is left of an expired or destroyed room: the SHA-256 of its code (so its hooks answer
      -- 410, and the code is not handed out again) and when it ended. files_room_id names a room
      -- whose files may still be on disk; it is cleared once they are removed, so a crash between the
      -- delete and the file removal is finished by the next sweep, in any process.
      CREATE TABLE ephemeral_room_tombstones (
        id bigint GENERATED ALWAYS AS IDENTITY,
        code_hash bytea NOT NULL,
        ended_at timestamptz NOT NULL,
        files_room_id bigint,
        CONSTRAINT ephemeral_room_tombstones_pkey PRIMARY KEY (id),
        CONSTRAINT ephemeral_room_tombstones_code_hash_check CHECK (octet_length(code_hash) = 32)
      );
      CREATE INDEX ephemeral_room_tombstones_code_hash_idx ON ephemeral_room_tombstones (code_hash);
      CREATE INDEX ephemeral_room_tombstones_ended_at_idx ON ephemeral_room_tombstones (ended_at);
      CREATE INDEX ephemeral_room_tombstones_files_room_id_idx ON ephemeral_room_tombstones (id)
        WHERE files_room_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE ephemeral_room_tombstones;
      DROP TABLE ephemeral_webhooks;
      DROP TABLE ephemeral_messages;
      DROP TABLE ephemeral_rooms;
    `);
  }
}
