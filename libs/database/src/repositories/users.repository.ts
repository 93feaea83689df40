import { Injectable } from '@nestjs/common';
import { Role } from '../entities';
import { BaseRepository, Tx } from './queryable';

export interface UserRecord {
  id: string;
  email: string;
  userName: string;
  passwordHash: string | null;
  /** When set, the password was chosen by this workspace's admin and logs in there only. */
  passwordWorkspaceId: string | null;
  createdAt: Date;
}
export interface MemberRecord extends Omit<UserRecord, 'passwordHash' | 'passwordWorkspaceId'> {
  role: Role;
}

const USER = `u.id, u.email, u.user_name AS "userName", u.password_hash AS "passwordHash",
  u.password_workspace_id AS "passwordWorkspaceId", u.created_at AS "createdAt"`;
const MEMBER = 'u.id, u.email, u.user_name AS "userName", u.created_at AS "createdAt", m.role';

/** Identities and their memberships. Membership methods take the workspace first. */
@Injectable()
export class UsersRepository extends BaseRepository {
  findByEmail(email: string, tx?: Tx): Promise<UserRecord | undefined> {
    return this.one(`SELECT ${USER} FROM users u WHERE u.email = $1`, [email.toLowerCase()], tx);
  }

  findById(id: string, tx?: Tx): Promise<UserRecord | undefined> {
    return this.one(`SELECT ${USER} FROM users u WHERE u.id = $1`, [id], tx);
  }

  /** Creates an identity; undefined when the e-mail is already taken (a concurrent create). */
  create(
    user: { email: string; userName: string; passwordHash: string | null; passwordWorkspaceId?: string | null },
    tx: Tx,
  ): Promise<UserRecord | undefined> {
    return this.one(
      `INSERT INTO users AS u (email, user_name, password_hash, password_workspace_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (email) DO NOTHING RETURNING ${USER}`,
      [user.email.toLowerCase(), user.userName, user.passwordHash, user.passwordWorkspaceId ?? null],
      tx,
    );
  }

  async updateUserName(userId: string, userName: string, tx: Tx): Promise<void> {
    await this.rows('UPDATE users SET user_name = $2, updated_at = now() WHERE id = $1', [userId, userName], tx);
  }

  /** Adds a membership; false when the user already was a member. */
  async addMembership(workspaceId: string, userId: string, role: Role, tx: Tx): Promise<boolean> {
    const rows = await this.rows(
      `INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, user_id) DO NOTHING RETURNING user_id`,
      [workspaceId, userId, role],
      tx,
    );
    return rows.length === 1;
  }

  findMember(workspaceId: string, userId: string, tx?: Tx): Promise<MemberRecord | undefined> {
    return this.one(
      `SELECT ${MEMBER} FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.workspace_id = $1 AND m.user_id = $2`,
      [workspaceId, userId],
      tx,
    );
  }

  listMembers(workspaceId: string): Promise<MemberRecord[]> {
    return this.rows(
      `SELECT ${MEMBER} FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.workspace_id = $1 ORDER BY u.created_at, u.id`,
      [workspaceId],
    );
  }

  async workspaceIdsOf(userId: string, tx?: Tx): Promise<string[]> {
    const rows = await this.rows<{ workspaceId: string }>(
      'SELECT workspace_id AS "workspaceId" FROM memberships WHERE user_id = $1',
      [userId],
      tx,
    );
    return rows.map((r) => r.workspaceId);
  }
}
