import { Injectable } from '@nestjs/common';
import { ConflictError, ForbiddenError, isUuid, NotFoundError } from '@parley/common';
import {
  MemberRecord,
  OneTimeTokensRepository,
  Principal,
  Role,
  SessionsRepository,
  Tx,
  UsersRepository,
} from '@parley/database';
import { EventRecorder, UnitOfWork } from '@parley/events';
import { PASSWORD_SETUP_PURPOSES } from '../auth/link-tokens/link-tokens.service';
import { recordEvent } from '../events/record-event';
import { hashPassword } from './users.service';

const notAMember = () => new NotFoundError('User', 'USER_NOT_FOUND');
const lastAdmin = () => new ConflictError('A workspace needs an admin: make someone else admin first', 'LAST_ADMIN');

/**
 * What a workspace admin (or the member themself) does to a *membership*: reset its password, change
 * its role, remove it, leave. Never to the identity behind it, which other workspaces may share
 * (PRODUCT.md §3). The last admin of a workspace can never be removed, demoted or leave; the
 * repository enforces that in the statement that makes the change.
 */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: OneTimeTokensRepository,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Sets an admin-chosen password, confined to this workspace (see auth/confinement.ts), only for
   * an identity whose sole membership is here; one in other workspaces too resets it by mail. The
   * member's other sessions end, and so do its outstanding invite, reset and initial-admin links
   * (a stale link must not outlive the password it was meant to set): a reset is often the answer
   * to a leaked password or mailbox.
   */
  async resetPassword(me: Principal, userId: string, password: string): Promise<void> {
    await this.memberOrThrow(me.workspaceId, userId);
    const passwordHash = await hashPassword(password);
    await this.uow.run(async (tx) => {
      // The identity's row first (this UPDATE locks it), as in every change to what opens it.
      if (!(await this.users.setConfinedPasswordIfSoleMember(me.workspaceId, userId, passwordHash, tx))) {
        await this.memberOrThrow(me.workspaceId, userId, tx);
        throw new ForbiddenError(
          'This user belongs to other workspaces too; they can reset their password by mail',
          'USER_IN_OTHER_WORKSPACES',
        );
      }
      await this.tokens.invalidateForUser(userId, PASSWORD_SETUP_PURPOSES, tx);
      await this.sessions.revokeForUser(userId, 'all', { exceptSessionId: me.sessionId }, tx);
    });
  }

  /** Changes a member's role; `UPDATE_USER` with `isAdmin` tells the workspace. */
  async setRole(me: Principal, userId: string, role: Role): Promise<MemberRecord> {
    if (!isUuid(userId)) throw notAMember();
    return this.uow.run(async (tx, events) => {
      const changed = await this.users.setRole(me.workspaceId, userId, role, tx);
      if (changed) {
        recordEvent(events, me.workspaceId, {
          type: 'UPDATE_USER',
          payload: { id: changed.id, userName: changed.userName, isAdmin: changed.role === 'admin' },
        });
        return changed;
      }
      const member = await this.users.findMember(me.workspaceId, userId, tx);
      if (!member) throw notAMember();
      if (member.role === role) return member; // already so: nothing to change, nothing to tell
      throw lastAdmin();
    });
  }

  /** An admin removes a member (`REMOVE_USER`; the e-mail only in admins' payload). */
  async remove(me: Principal, userId: string): Promise<void> {
    if (!isUuid(userId)) throw notAMember();
    await this.uow.run(async (tx, events) => {
      const removed = await this.leave(me.workspaceId, userId, tx);
      recordEvent(
        events,
        me.workspaceId,
        { type: 'REMOVE_USER', payload: { id: removed.id, userName: removed.userName } },
        { adminPayload: { id: removed.id, userName: removed.userName, email: removed.email } },
      );
    });
  }

  /** The caller leaves the workspace (`USER_EXIT`). */
  async exit(me: Principal): Promise<void> {
    await this.uow.run(async (tx, events: EventRecorder) => {
      const left = await this.leave(me.workspaceId, me.userId, tx);
      recordEvent(events, me.workspaceId, { type: 'USER_EXIT', payload: { id: left.id, userName: left.userName } });
    });
  }

  /**
   * Ends a membership and what hangs on it: its sessions in this workspace, its unused links into
   * it, and a password this workspace's admin chose (it opened only this workspace). The identity stays.
   */
  private async leave(workspaceId: string, userId: string, tx: Tx): Promise<MemberRecord> {
    // The identity first, like every change to what opens it: a setup-password racing this removal
    // (token → identity → sessions) would otherwise deadlock with it (sessions → tokens).
    await this.users.lockIdentity(userId, tx);
    const removed = await this.users.removeMembership(workspaceId, userId, tx);
    if (!removed) {
      if (!(await this.users.findMember(workspaceId, userId, tx))) throw notAMember();
      throw lastAdmin();
    }
    await this.sessions.revokeForUser(userId, 'all', { onlyWorkspaceId: workspaceId }, tx);
    await this.tokens.deleteUnusedForMembership(workspaceId, userId, tx);
    await this.users.clearPasswordConfinedTo(workspaceId, userId, tx);
    return removed;
  }

  private async memberOrThrow(workspaceId: string, userId: string, tx?: Tx): Promise<MemberRecord> {
    const member = isUuid(userId) ? await this.users.findMember(workspaceId, userId, tx) : undefined;
    if (!member) throw notAMember();
    return member;
  }
}
