import { Injectable } from '@nestjs/common';
import { BaseRepository, Tx } from './queryable';

/** An event to append: `recipientIds` limits who receives it; admins get `adminPayload` if set. */
export interface NewEvent {
  workspaceId: string;
  type: string;
  payload: unknown;
  adminPayload?: unknown;
  recipientIds?: string[];
}

/** An event as stored; payloads stay JSON text so a frame is serialised once, not per client. */
export interface StoredEvent {
  position: number;
  workspaceId: string;
  type: string;
  payloadJson: string;
  adminPayloadJson: string | null;
  recipientIds: string[] | null;
}

/** A point in the log: every position ≤ limit was drawn by one of the in-flight xids or is final. */
export interface HorizonCandidate {
  limit: number;
  inFlightXids: number[];
}

interface StoredEventRow {
  position: string;
  workspaceId: string;
  type: string;
  payloadJson: string;
  adminPayloadJson: string | null;
  recipientIds: string[] | null;
}

const EVENT = `e.position::text AS position, e.workspace_id AS "workspaceId", e.type,
  e.payload::text AS "payloadJson", e.admin_payload::text AS "adminPayloadJson", e.recipient_ids AS "recipientIds"`;

const toStored = (r: StoredEventRow): StoredEvent => ({ ...r, position: Number(r.position) });

/**
 * The event log. Positions come from one global sequence and are drawn inside the writing
 * transaction, so they can commit out of order; readers use `captureHorizon` + `readSettled` to
 * deliver only a prefix that can no longer change (see EventLogTailer).
 */
@Injectable()
export class EventsRepository extends BaseRepository {
  /**
   * Appends events inside the caller's transaction. The transaction id is forced before the
   * positions are drawn, which the horizon check relies on.
   */
  async append(events: NewEvent[], tx: Tx): Promise<void> {
    if (events.length === 0) return;
    await this.rows(
      `WITH xid AS MATERIALIZED (SELECT pg_current_xact_id() AS x)
       INSERT INTO events (position, workspace_id, type, payload, admin_payload, recipient_ids)
       SELECT nextval('events_position_seq'), i.workspace_id, i.type, i.payload, i.admin_payload,
              CASE WHEN i.recipients IS NULL THEN NULL ELSE string_to_array(i.recipients, ',')::uuid[] END
       FROM xid, unnest($1::uuid[], $2::text[], $3::json[], $4::json[], $5::text[])
            WITH ORDINALITY AS i(workspace_id, type, payload, admin_payload, recipients, ord)
       WHERE xid.x IS NOT NULL
       ORDER BY i.ord`,
      [
        events.map((e) => e.workspaceId),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.payload)),
        events.map((e) => (e.adminPayload === undefined ? null : JSON.stringify(e.adminPayload))),
        events.map((e) => (e.recipientIds ? e.recipientIds.join(',') : null)),
      ],
      tx,
    );
  }

  /**
   * Reads the sequence head, then (after it, by data dependency) the transaction ids of this
   * database's sessions still writing. Any position ≤ limit was drawn by a transaction that had its
   * id before the head was read, so once those ids have finished, positions ≤ limit are final.
   */
  async captureHorizon(): Promise<HorizonCandidate> {
    const row = await this.one<{ limit: string; inFlight: string[] }>(
      `WITH head AS MATERIALIZED (
         SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS last_position FROM events_position_seq
       )
       SELECT head.last_position::text AS "limit",
         ARRAY(SELECT a.backend_xid::text::bigint FROM pg_stat_activity a
               WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL
                 AND a.pid <> pg_backend_pid() AND head.last_position IS NOT NULL)::text[] AS "inFlight"
       FROM head`,
      [],
    );
    return { limit: Number(row?.limit ?? 0), inFlightXids: (row?.inFlight ?? []).map(Number) };
  }

  /**
   * Events in (after, through] visible now, and the 32-bit ids of transactions in progress as of
   * the same snapshot, so the caller can tell which horizon candidates have settled.
   */
  async readSettled(
    after: number,
    through: number,
    limit: number,
  ): Promise<{ inProgressXids: Set<number>; events: StoredEvent[] }> {
    const rows = await this.rows<StoredEventRow & { xip: string[] }>(
      `WITH snap AS MATERIALIZED (
         SELECT ARRAY(SELECT (x::text::numeric % 4294967296)::bigint
                      FROM pg_snapshot_xip(pg_current_snapshot()) x)::text[] AS xip
       )
       SELECT snap.xip, ${EVENT} FROM snap LEFT JOIN LATERAL (
         SELECT * FROM events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3
       ) e ON true`,
      [after, through, limit],
    );
    const inProgressXids = new Set((rows[0]?.xip ?? []).map(Number));
    const events = rows.filter((r) => r.position !== null).map(toStored);
    return { inProgressXids, events };
  }

  /** Replay for one recipient: events of their workspace in (after, through], in order. */
  async readForRecipient(
    workspaceId: string,
    userId: string,
    after: number,
    through: number,
    limit: number,
  ): Promise<StoredEvent[]> {
    const rows = await this.rows<StoredEventRow>(
      `SELECT ${EVENT} FROM events e
       WHERE e.workspace_id = $1 AND e.position > $3 AND e.position <= $4
         AND (e.recipient_ids IS NULL OR $2::uuid = ANY (e.recipient_ids))
       ORDER BY e.position LIMIT $5`,
      [workspaceId, userId, after, through, limit],
    );
    return rows.map(toStored);
  }

  /** The highest position removed by retention: replay from before it cannot be complete. */
  async prunedThrough(): Promise<number> {
    const row = await this.one<{ p: string }>('SELECT pruned_through::text AS p FROM event_log_state WHERE id = 1', []);
    return Number(row?.p ?? 0);
  }

  /** Deletes events older than the cutoff and records how far the log is now incomplete. */
  async pruneOlderThan(cutoff: Date): Promise<number> {
    const rows = await this.rows<{ deleted: string }>(
      `WITH doomed AS (
         DELETE FROM events WHERE position <= (SELECT max(position) FROM events WHERE created_at < $1)
         RETURNING position
       ), mark AS (
         UPDATE event_log_state SET pruned_through = GREATEST(pruned_through, (SELECT max(position) FROM doomed))
         WHERE id = 1 AND EXISTS (SELECT 1 FROM doomed)
       )
       SELECT count(*)::text AS deleted FROM doomed`,
      [cutoff],
    );
    return Number(rows[0]?.deleted ?? 0);
  }
}
