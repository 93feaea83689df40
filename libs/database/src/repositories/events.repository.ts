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
  /** Null for an ephemeral room's event (`room.*`, ids only; see EphemeralRoomsRepository). */
  workspaceId: string | null;
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
  workspaceId: string | null;
  type: string;
  payloadJson: string;
  adminPayloadJson: string | null;
  recipientIds: string[] | null;
}

const EVENT = `e.position::text AS position, e.workspace_id AS "workspaceId", e.type,
  e.payload::text AS "payloadJson", e.admin_payload::text AS "adminPayloadJson", e.recipient_ids AS "recipientIds"`;

/** A PostgreSQL snapshot (`xmin:xmax:xip`), with 64-bit transaction ids. */
export interface TransactionSnapshot {
  xmin: bigint;
  xmax: bigint;
  xip: Set<bigint>;
}

export function parseSnapshot(text: string): TransactionSnapshot {
  const [xmin = '1', xmax = '1', xip = ''] = text.split(':');
  return { xmin: BigInt(xmin), xmax: BigInt(xmax), xip: new Set(xip ? xip.split(',').map((x) => BigInt(x)) : []) };
}

/**
 * Whether a transaction (by its 32-bit id, as pg_stat_activity shows it) had finished — committed
 * or aborted — when the snapshot was taken. Note a running id at or above xmax is *not* listed in
 * xip: xmax is one past the newest *finished* id, so "≥ xmax" means still running too.
 */
export function finishedBefore(snapshot: TransactionSnapshot, xid32: number): boolean {
  // Widen to 64 bits with the snapshot's epoch; ids this recent are within 2^31 of xmax, on
  // either side of an epoch boundary.
  const epochBase = snapshot.xmax & ~0xffffffffn;
  let xid = epochBase | BigInt(xid32);
  if (xid > snapshot.xmax + 0x80000000n) xid -= 0x100000000n;
  else if (xid + 0x80000000n < snapshot.xmax) xid += 0x100000000n;
  if (xid < snapshot.xmin) return true;
  return xid < snapshot.xmax && !snapshot.xip.has(xid);
}

const toStored = (r: StoredEventRow): StoredEvent => ({ ...r, position: Number(r.position) });

/**
 * The event log. Positions come from one global sequence and are drawn inside the writing
 * transaction, so they can commit out of order; readers use `captureHorizon` + `readRange` to
 * deliver only a prefix that can no longer change (see EventLogTailer).
 */
@Injectable()
export class EventsRepository extends BaseRepository {
  /**
   * Appends events inside the caller's transaction. Positions come from the column default
   * (next_event_position), which forces the transaction id first — the horizon check relies on it.
   */
  async append(events: NewEvent[], tx: Tx): Promise<void> {
    if (events.length === 0) return;
    await this.rows(
      `INSERT INTO events (workspace_id, type, payload, admin_payload, recipient_ids)
       SELECT i.workspace_id, i.type, i.payload, i.admin_payload,
              CASE WHEN i.recipients IS NULL THEN NULL ELSE string_to_array(i.recipients, ',')::uuid[] END
       FROM unnest($1::uuid[], $2::text[], $3::json[], $4::json[], $5::text[])
            WITH ORDINALITY AS i(workspace_id, type, payload, admin_payload, recipients, ord)
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
   * database's sessions and prepared transactions still writing. Any position ≤ limit was drawn by
   * a transaction that had its id before the head was read, so once those ids have finished,
   * positions ≤ limit are final. Also returns this statement's snapshot, taken before either read,
   * which can judge candidates captured by *earlier* statements.
   */
  async captureHorizon(): Promise<{ candidate: HorizonCandidate; snapshot: TransactionSnapshot }> {
    // pg_sequence_last_value reads under the buffer lock: a plain SELECT on the sequence can
    // briefly see the pre-logged value (up to 32 ahead) that nextval writes while logging.
    const row = await this.one<{ limit: string; snap: string; inFlight: string[] }>(
      `WITH head AS MATERIALIZED (
         SELECT COALESCE(pg_sequence_last_value('events_position_seq'), 0) AS last_position
       )
       SELECT head.last_position::text AS "limit", pg_current_snapshot()::text AS snap,
         ARRAY(SELECT a.backend_xid::text::bigint FROM pg_stat_activity a
               WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL
                 AND a.pid <> pg_backend_pid() AND head.last_position IS NOT NULL
               UNION ALL
               SELECT p.transaction::text::bigint FROM pg_prepared_xacts p
               WHERE p.database = current_database() AND head.last_position IS NOT NULL)::text[] AS "inFlight"
       FROM head`,
      [],
    );
    return {
      candidate: { limit: Number(row?.limit ?? 0), inFlightXids: (row?.inFlight ?? []).map(Number) },
      snapshot: parseSnapshot(row?.snap ?? '1:1:'),
    };
  }

  /** Events in (after, through], in order — only called for a range already proven final. */
  async readRange(after: number, through: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.rows<StoredEventRow>(
      `SELECT ${EVENT} FROM events e WHERE e.position > $1 AND e.position <= $2 ORDER BY e.position LIMIT $3`,
      [after, through, limit],
    );
    return rows.map(toStored);
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

  /**
   * Deletes events older than the cutoff — never above `notAbove` (what live subscribers have been
   * given) — and records how far the log is now incomplete.
   */
  async pruneOlderThan(cutoff: Date, notAbove: number): Promise<number> {
    const rows = await this.rows<{ deleted: string }>(
      `WITH doomed AS (
         DELETE FROM events
         WHERE position <= LEAST((SELECT max(position) FROM events WHERE created_at < $1), $2::bigint)
         RETURNING position
       ), mark AS (
         UPDATE event_log_state SET pruned_through = GREATEST(pruned_through, (SELECT max(position) FROM doomed))
         WHERE id = 1 AND EXISTS (SELECT 1 FROM doomed)
       )
       SELECT count(*)::text AS deleted FROM doomed`,
      [cutoff, notAbove],
    );
    return Number(rows[0]?.deleted ?? 0);
  }
}
