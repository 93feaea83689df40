import { Injectable } from '@nestjs/common';
import { Role } from '../entities';
import { BaseRepository, Tx } from './queryable';

export interface UserRecord {
  id: string;
  email: string;
  userName: string;
  passwordHash: string | null;
  /**
   * When set, the password was chosen by this workspace's admin (or at self sign-up into it, with no
   * proof of the mailbox) and logs in there only.
   */
  passwordWorkspaceId: string | null;
  createdAt: Date;
}
export interface MemberRecord extends Omit<UserRecord, 'passwordHash' | 'passwordWorkspaceId'> {
  role: Role;
}

const USER = `u.id, u.email, u.user_name AS "userName", u.password_hash AS "passwordHash",
  u.password_workspace_id AS "passwordWorkspaceId", u.created_at AS "createdAt"`;
const MEMBER = 'u.id, u.email, u.user_name AS "userName", u.created_at AS "createdAt", m.role';

/*
 * The last admin of a workspace can never be removed or demoted, enforced in the one statement
 * that changes the membership. LOCKED_ADMINS locks the workspace's admin rows in user-id order
 * (the same order in every such statement, so they do not deadlock over them) as far as the guard
 * reads them; the guard needs another admin whose row it holds. A concurrent demotion or removal of that admin
 * waits for the lock, then re-reads the row (READ COMMITTED re-checks a locked row's WHERE on its
 * newest version) and no longer counts it: of two admins demoting each other, one is refused.
 */
const LOCKED_ADMINS = `admins AS MATERIALIZED (
  SELECT a.user_id FROM memberships a WHERE a.workspace_id = $1 AND a.role = 'admin' ORDER BY a.user_id FOR UPDATE)`;
const LAST_ADMIN_GUARD = `(m.role <> 'admin' OR EXISTS (SELECT 1 FROM admins WHERE admins.user_id <> $2))`;

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

  /**
   * Locks the identity's row until the transaction ends. Every unit of work that changes what opens
   * an identity (its password, links or sessions: setting a password by link, an admin's reset,
   * leaving or being removed from a workspace) takes this lock first, so two of them on one identity
   * queue on this row, whatever they lock next, instead of deadlocking over its tokens and sessions.
   * `FOR NO KEY UPDATE` lets logins go on meanwhile (a new session only takes `FOR KEY SHARE`).
   */
  async lockIdentity(userId: string, tx: Tx): Promise<void> {
    await this.rows('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId], tx);
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

  /**
   * Removes a membership unless it is the workspace's last admin; undefined when nothing was removed
   * (not a member, or the last admin). See LAST_ADMIN_GUARD for why this cannot race.
   */
  removeMembership(workspaceId: string, userId: string, tx: Tx): Promise<MemberRecord | undefined> {
    return this.one(
      `WITH ${LOCKED_ADMINS}, removed AS (
         DELETE FROM memberships m WHERE m.workspace_id = $1 AND m.user_id = $2 AND ${LAST_ADMIN_GUARD}
         RETURNING m.user_id, m.role)
       SELECT ${MEMBER} FROM removed m JOIN users u ON u.id = m.user_id`,
      [workspaceId, userId],
      tx,
    );
  }

  /**
   * Changes a member's role unless that demotes the workspace's last admin; undefined when nothing
   * changed (not a member, already that role, or the last admin).
   */
  setRole(workspaceId: string, userId: string, role: Role, tx: Tx): Promise<MemberRecord | undefined> {
    return this.one(
      `WITH ${LOCKED_ADMINS}, changed AS (
         UPDATE memberships m SET role = $3
         WHERE m.workspace_id = $1 AND m.user_id = $2 AND m.role <> $3 AND ($3 = 'admin' OR ${LAST_ADMIN_GUARD})
         RETURNING m.user_id, m.role)
       SELECT ${MEMBER} FROM changed m JOIN users u ON u.id = m.user_id`,
      [workspaceId, userId, role],
      tx,
    );
  }

  /** A password the user chose themself (via a mailed link): it opens every workspace. */
  async setOwnPassword(userId: string, passwordHash: string, tx: Tx): Promise<void> {
    await this.rows(
      'UPDATE users SET password_hash = $2, password_workspace_id = NULL, updated_at = now() WHERE id = $1',
      [userId, passwordHash],
      tx,
    );
  }

  /**
   * An admin-chosen password, confined to the workspace (see password_workspace_id), set only while
   * that workspace holds the identity's sole membership; false otherwise. Were the identity to join
   * another workspace concurrently, the password still opens this one only.
   */
  async setConfinedPasswordIfSoleMember(
    workspaceId: string,
    userId: string,
    passwordHash: string,
    tx?: Tx,
  ): Promise<boolean> {
    const rows = await this.rows(
      `UPDATE users u SET password_hash = $3, password_workspace_id = $1, updated_at = now()
       WHERE u.id = $2
         AND EXISTS (SELECT 1 FROM memberships m WHERE m.workspace_id = $1 AND m.user_id = u.id)
         AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.workspace_id <> $1)
       RETURNING u.id`,
      [workspaceId, userId, passwordHash],
      tx,
    );
    return rows.length === 1;
  }

  /** Drops a password an admin of this workspace chose: it opens nothing once the member has left. */
  async clearPasswordConfinedTo(workspaceId: string, userId: string, tx: Tx): Promise<void> {
    await this.rows(
      `UPDATE users SET password_hash = NULL, password_workspace_id = NULL, updated_at = now()
       WHERE id = $2 AND password_workspace_id = $1`,
      [workspaceId, userId],
      tx,
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
