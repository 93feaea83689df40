import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { ConflictError, NotFoundError } from '@parley/common';
import { MemberRecord, Principal, Role, Tx, UserRecord, UsersRepository, WorkspacesRepository } from '@parley/database';
import { EventRecorder, UnitOfWork } from '@parley/events';
import { assertNotConfined } from '../auth/confinement';
import { recordEvent } from '../events/record-event';
import { DEFAULT_WORKSPACE_SLUG } from '../workspaces/workspaces.service';

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });
const defaultUserName = (email: string): string => (email.split('@')[0] || 'user').slice(0, 64);

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly uow: UnitOfWork,
  ) {}

  list(workspaceId: string): Promise<MemberRecord[]> {
    return this.users.listMembers(workspaceId);
  }

  /**
   * Adds a member. An e-mail that already has an identity only gains a membership — its password
   * is never set from here, since that identity may belong to other workspaces too.
   */
  async add(me: Principal, email: string, role: Role, password: string | undefined): Promise<{ userId: string }> {
    // Hashing is slow on purpose: skip it when the identity exists and the password would be ignored.
    const known = await this.users.findByEmail(email);
    const passwordHash = password && !known ? await hashPassword(password) : null;
    return this.uow.run(async (tx, events) => {
      const existing = await this.users.findByEmail(email, tx);
      // A password chosen here opens this workspace only (see auth/confinement.ts).
      const user =
        existing ?? (await this.createIdentity(email, passwordHash, tx, passwordHash ? me.workspaceId : null));
      if (!(await this.users.addMembership(me.workspaceId, user.id, role, tx))) {
        throw new ConflictError('That user is already a member of this workspace', 'USER_ALREADY_MEMBER');
      }
      this.recordNewUser(events, me.workspaceId, user);
      return { userId: user.id };
    });
  }

  /** Renames the caller's own identity; every workspace they belong to hears of it. */
  async updateMe(me: Principal, userName: string): Promise<MemberRecord> {
    return this.uow.run(async (tx, events) => {
      const workspaceIds = await this.users.workspaceIdsOf(me.userId, tx);
      // The name shows in every workspace: a confined login may change it only if there is no other.
      if (workspaceIds.some((id) => id !== me.restrictedWorkspaceId)) assertNotConfined(me, 'Renaming yourself');
      await this.users.updateUserName(me.userId, userName, tx);
      for (const workspaceId of workspaceIds) {
        recordEvent(events, workspaceId, { type: 'UPDATE_USER', payload: { id: me.userId, userName } });
      }
      const member = await this.users.findMember(me.workspaceId, me.userId, tx);
      if (!member) throw new NotFoundError('User');
      return member;
    });
  }

  /** Dev login: an unknown e-mail becomes a member of the default workspace. */
  async findOrCreateForDevLogin(email: string): Promise<UserRecord> {
    const existing = await this.users.findByEmail(email);
    if (existing) return existing;
    return this.uow.run(async (tx, events) => {
      const user = await this.createIdentity(email, null, tx);
      const workspace = await this.workspaces.findBySlug(DEFAULT_WORKSPACE_SLUG, tx);
      if (workspace && (await this.users.addMembership(workspace.id, user.id, 'user', tx))) {
        this.recordNewUser(events, workspace.id, user);
      }
      return user;
    });
  }

  private async createIdentity(
    email: string,
    passwordHash: string | null,
    tx: Tx,
    passwordWorkspaceId: string | null = null,
  ): Promise<UserRecord> {
    const created = await this.users.create(
      { email, userName: defaultUserName(email), passwordHash, passwordWorkspaceId },
      tx,
    );
    // A concurrent request may have created the same identity first.
    const user = created ?? (await this.users.findByEmail(email, tx));
    if (!user) throw new Error('user could neither be created nor found');
    return user;
  }

  private recordNewUser(events: EventRecorder, workspaceId: string, user: UserRecord): void {
    recordEvent(
      events,
      workspaceId,
      { type: 'NEW_USER', payload: { id: user.id, userName: user.userName } },
      { adminPayload: { id: user.id, userName: user.userName, email: user.email } },
    );
  }
}
