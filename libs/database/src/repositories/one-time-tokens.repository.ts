import { Injectable } from '@nestjs/common';
import { BaseRepository, Tx } from './queryable';

export type OneTimeTokenPurpose = 'magic-link' | 'invite' | 'password-reset' | 'initial-admin';

export interface OneTimeTokenRecord {
  purpose: OneTimeTokenPurpose;
  userId: string;
  workspaceId: string | null;
  expiresAt: Date;
}

const TOKEN = 'purpose, user_id AS "userId", workspace_id AS "workspaceId", expires_at AS "expiresAt"';
// Serialises "issue the initial-admin link unless one is live" across processes booting at once.
const INITIAL_ADMIN_LOCK = "hashtext('parley:initial-admin-link')";

/**
 * Magic-link, invite, password-reset and initial-admin tokens. Only the SHA-256 of a token is
 * stored; the caller hashes. Lookups are by that hash, which is unguessable, so they need no workspace.
 */
@Injectable()
export class OneTimeTokensRepository extends BaseRepository {
  async create(
    token: {
      tokenHash: Buffer;
      purpose: OneTimeTokenPurpose;
      userId: string;
      workspaceId: string | null;
      lifetimeSeconds: number;
    },
    tx?: Tx,
  ): Promise<Date> {
    // The database clock sets the expiry, the same clock `consume` compares against.
    const row = await this.one<{ expiresAt: Date }>(
      `INSERT INTO one_time_tokens (token_hash, purpose, user_id, workspace_id, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING expires_at AS "expiresAt"`,
      [token.tokenHash, token.purpose, token.userId, token.workspaceId, token.lifetimeSeconds],
      tx,
    );
    if (!row) throw new Error('one-time token was not stored');
    return row.expiresAt;
  }

  /** A usable token (unused, unexpired, of one of these purposes), without using it up. */
  findUsable(tokenHash: Buffer, purposes: OneTimeTokenPurpose[]): Promise<OneTimeTokenRecord | undefined> {
    return this.one(
      `SELECT ${TOKEN} FROM one_time_tokens
       WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND purpose = ANY ($2::text[])`,
      [tokenHash, purposes],
    );
  }

  /**
   * Uses a token up. One statement, so of two concurrent calls with the same token exactly one
   * gets the row: the second waits for the first's row lock, then re-checks `used_at IS NULL`.
   */
  consume(tokenHash: Buffer, purposes: OneTimeTokenPurpose[], tx?: Tx): Promise<OneTimeTokenRecord | undefined> {
    return this.one(
      `UPDATE one_time_tokens SET used_at = now()
       WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND purpose = ANY ($2::text[])
       RETURNING ${TOKEN}`,
      [tokenHash, purposes],
      tx,
    );
  }

  /** Uses up every other outstanding token of these purposes for the user (a password was just set). */
  async invalidateForUser(userId: string, purposes: OneTimeTokenPurpose[], tx: Tx): Promise<void> {
    await this.rows(
      `UPDATE one_time_tokens SET used_at = now()
       WHERE user_id = $1 AND used_at IS NULL AND purpose = ANY ($2::text[])`,
      [userId, purposes],
      tx,
    );
  }

  /** Drops a member's unused tokens that lead into a workspace they just left. */
  async deleteUnusedForMembership(workspaceId: string, userId: string, tx: Tx): Promise<void> {
    await this.rows(
      'DELETE FROM one_time_tokens WHERE workspace_id = $1 AND user_id = $2 AND used_at IS NULL',
      [workspaceId, userId],
      tx,
    );
  }

  /**
   * Stores the initial-admin token unless one is still usable; false when one was. Under a
   * transaction-scoped advisory lock, so processes booting together issue (and print) one link.
   */
  async createInitialAdminUnlessLive(
    token: { tokenHash: Buffer; userId: string; workspaceId: string; lifetimeSeconds: number },
    tx: Tx,
  ): Promise<boolean> {
    await this.rows(`SELECT pg_advisory_xact_lock(${INITIAL_ADMIN_LOCK})`, [], tx);
    const live = await this.one(
      `SELECT 1 FROM one_time_tokens
       WHERE purpose = 'initial-admin' AND user_id = $1 AND used_at IS NULL AND expires_at > now()`,
      [token.userId],
      tx,
    );
    if (live) return false;
    await this.create({ ...token, purpose: 'initial-admin' }, tx);
    return true;
  }

  /** Deletes tokens that expired (or were used) more than a day ago. */
  async prune(): Promise<number> {
    const rows = await this.rows(
      `DELETE FROM one_time_tokens WHERE expires_at < now() - interval '1 day'
         OR used_at < now() - interval '1 day' RETURNING 1`,
      [],
    );
    return rows.length;
  }
}
