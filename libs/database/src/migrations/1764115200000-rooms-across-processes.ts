import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ephemeral rooms that work across processes (docs/decisions/0007 § Across processes):
 * - Room events go into the event log that feeds SSE, with ids only (never content: the log is
 *   plaintext). They belong to no workspace, so workspace_id becomes optional; SSE streams and
 *   replays select by workspace and never see them.
 * - Presence: one row per connected socket, in any process; `seen_at` is refreshed by its process,
 *   so the rows of a process that died stop counting and are swept.
 * - Moderation: slow mode on the room, bans and mutes as sanctions, slow mode's last post per poster.
 *   Names are AtRestCipher envelopes; sessions and poster keys are stored as SHA-256.
 */
export class RoomsAcrossProcesses1764115200000 implements MigrationInterface {
  name = 'RoomsAcrossProcesses1764115200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE events ALTER COLUMN workspace_id DROP NOT NULL;

      ALTER TABLE ephemeral_rooms
        ADD COLUMN slowmode_seconds integer NOT NULL DEFAULT 0,
        -- Set by the first ban or mute: posts and handshakes of other rooms skip the sanctions read.
        ADD COLUMN sanctioned boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT ephemeral_rooms_slowmode_seconds_check CHECK (slowmode_seconds BETWEEN 0 AND 3600);

      CREATE TABLE ephemeral_room_presence (
        socket_id text NOT NULL,
        room_id bigint NOT NULL,
        process_id text NOT NULL,
        session_hash bytea NOT NULL,
        name bytea NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        seen_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ephemeral_room_presence_pkey PRIMARY KEY (socket_id),
        CONSTRAINT ephemeral_room_presence_room_id_fkey FOREIGN KEY (room_id)
          REFERENCES ephemeral_rooms (id) ON DELETE CASCADE
      );
      CREATE INDEX ephemeral_room_presence_room_id_idx ON ephemeral_room_presence (room_id, joined_at);
      CREATE INDEX ephemeral_room_presence_process_id_idx ON ephemeral_room_presence (process_id);

      CREATE TABLE ephemeral_room_sanctions (
        id bigint GENERATED ALWAYS AS IDENTITY,
        room_id bigint NOT NULL,
        kind text NOT NULL,
        name bytea NOT NULL,
        session_hashes bytea[] NOT NULL,
        -- NULL: for the room's life (a ban).
        until timestamptz,
        CONSTRAINT ephemeral_room_sanctions_pkey PRIMARY KEY (id),
        CONSTRAINT ephemeral_room_sanctions_room_id_fkey FOREIGN KEY (room_id)
          REFERENCES ephemeral_rooms (id) ON DELETE CASCADE,
        CONSTRAINT ephemeral_room_sanctions_kind_check CHECK (kind IN ('ban', 'mute'))
      );
      CREATE INDEX ephemeral_room_sanctions_room_id_idx ON ephemeral_room_sanctions (room_id);

      CREATE TABLE ephemeral_room_post_marks (
        room_id bigint NOT NULL,
        poster_hash bytea NOT NULL,
        posted_at timestamptz NOT NULL,
        CONSTRAINT ephemeral_room_post_marks_pkey PRIMARY KEY (room_id, poster_hash),
        CONSTRAINT ephemeral_room_post_marks_room_id_fkey FOREIGN KEY (room_id)
          REFERENCES ephemeral_rooms (id) ON DELETE CASCADE
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE ephemeral_room_post_marks;
      DROP TABLE ephemeral_room_sanctions;
      DROP TABLE ephemeral_room_presence;
      ALTER TABLE ephemeral_rooms DROP COLUMN sanctioned, DROP COLUMN slowmode_seconds;
      DELETE FROM events WHERE workspace_id IS NULL;
      ALTER TABLE events ALTER COLUMN workspace_id SET NOT NULL;
    `);
  }
}
