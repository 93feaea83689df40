import { Injectable } from '@nestjs/common';
import { Role } from '../entities';
import { BaseRepository, Tx } from './queryable';

export interface SessionRecord {
  id: string;
  userId: string;
  workspaceId: string;
  restrictedWorkspaceId: string | null;
  refreshGeneration: number;
  refreshTokenHash: Buffer;
  previousRefreshTokenHash: Buffer | null;
  rotatedAt: Date | null;
  userAgent: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Who an access token speaks for, resolved on every request (so revocation is immediate). */
export interface Principal {
  userId: string;
  workspaceId: string;
  sessionId: string;
  userName: string;
  email: string;
  role: Role;
  /** Set when the login may act only inside its workspace (see users.password_workspace_id). */
  restrictedWorkspaceId: string | null;
}

const SESSION = `id, user_id AS "userId", workspace_id AS "workspaceId",
  restricted_workspace_id AS "restrictedWorkspaceId", refresh_generation AS "refreshGeneration",
  refresh_token_hash AS "refreshTokenHash", previous_refresh_token_hash AS "previousRefreshTokenHash",
  rotated_at AS "rotatedAt", user_agent AS "userAgent", created_at AS "createdAt",
  last_used_at AS "lastUsedAt", expires_at AS "expiresAt", revoked_at AS "revokedAt"`;

// A live session whose user is still a member of the session's workspace.
const LIVE_PRINCIPALS = `SELECT s.user_id AS "userId", s.workspace_id AS "workspaceId", s.id AS "sessionId",
         u.user_name AS "userName", u.email, m.role, s.restricted_workspace_id AS "restrictedWorkspaceId"
  FROM sessions s
  JOIN users u ON u.id = s.user_id
  JOIN memberships m ON m.workspace_id = s.workspace_id AND m.user_id = s.user_id
  WHERE s.revoked_at IS NULL AND s.expires_at > now()`;

@Injectable()
export class SessionsRepository extends BaseRepository {
  async create(session: {
    id: string;
    userId: string;
    workspaceId: string;
    restrictedWorkspaceId: string | null;
    refreshTokenHash: Buffer;
    userAgent: string | null;
    expiresAt: Date;
  }): Promise<void> {
    await this.rows(
      `INSERT INTO sessions (id, user_id, workspace_id, restricted_workspace_id, refresh_token_hash, user_agent, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        session.id,
        session.userId,
        session.workspaceId,
        session.restrictedWorkspaceId,
        session.refreshTokenHash,
        session.userAgent,
        session.expiresAt,
      ],
    );
  }

  findById(sessionId: string): Promise<SessionRecord | undefined> {
    return this.one(`SELECT ${SESSION} FROM sessions WHERE id = $1`, [sessionId]);
  }

  /** The caller behind a token: a live session whose user is still a member of its workspace. */
  /** Runs on every authenticated request: a prepared statement, planned once per connection. */
  async findPrincipal(sessionId: string, userId: string, workspaceId: string): Promise<Principal | undefined> {
    const rows = await this.prepared<Principal>(
      'parley_find_principal',
      `${LIVE_PRINCIPALS} AND s.id = $1 AND s.user_id = $2 AND s.workspace_id = $3`,
      [sessionId, userId, workspaceId],
    );
    return rows[0];
  }

  /** The principals behind those sessions that are still valid (for long-lived SSE streams). */
  findLivePrincipals(sessionIds: string[]): Promise<Principal[]> {
    return this.rows(`${LIVE_PRINCIPALS} AND s.id = ANY ($1::uuid[])`, [sessionIds]);
  }

  /** Moves the session one refresh generation on; false when another request already did. */
  async rotate(sessionId: string, fromGeneration: number, newHash: Buffer, expiresAt: Date): Promise<boolean> {
    const rows = await this.rows(
      `UPDATE sessions SET refresh_generation = refresh_generation + 1,
         previous_refresh_token_hash = refresh_token_hash, refresh_token_hash = $3,
         rotated_at = now(), last_used_at = now(), expires_at = $4
       WHERE id = $1 AND refresh_generation = $2 AND revoked_at IS NULL RETURNING id`,
      [sessionId, fromGeneration, newHash, expiresAt],
    );
    return rows.length === 1;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.rows('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [sessionId]);
  }

  /** Revokes sessions of a user; `onlyWorkspaceId` confines it to one workspace's sessions. */
  async revokeForUser(
    userId: string,
    sessionIds: string[] | 'all',
    options: { exceptSessionId?: string; onlyWorkspaceId?: string | null } = {},
    tx?: Tx,
  ): Promise<number> {
    const rows = await this.rows(
      `UPDATE sessions SET revoked_at = now()
       WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
         AND ($3::uuid IS NULL OR id <> $3::uuid) AND ($4::uuid IS NULL OR workspace_id = $4::uuid)
       RETURNING id`,
      [
        userId,
        sessionIds === 'all' ? null : sessionIds,
        options.exceptSessionId ?? null,
        options.onlyWorkspaceId ?? null,
      ],
      tx,
    );
    return rows.length;
  }

  listActiveForUser(userId: string, onlyWorkspaceId?: string | null): Promise<SessionRecord[]> {
    return this.rows(
      `SELECT ${SESSION} FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
         AND ($2::uuid IS NULL OR workspace_id = $2::uuid)
       ORDER BY last_used_at DESC`,
      [userId, onlyWorkspaceId ?? null],
    );
  }
}
