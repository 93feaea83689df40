import { Inject, Injectable, Logger } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { BadRequestError, ConflictError, NotFoundError } from '@parley/common';
import {
  MemberRecord,
  Principal,
  Role,
  Tx,
  UserRecord,
  UsersRepository,
  WorkspaceRecord,
  WorkspacesRepository,
} from '@parley/database';
import { EventRecorder, UnitOfWork } from '@parley/events';
import { assertNotConfined } from '../auth/confinement';
import { addedNoticeMail, inviteMail } from '../auth/link-tokens/link-mails';
import { IssuedLink, LinkTokensService } from '../auth/link-tokens/link-tokens.service';
import { RateLimitService } from '../auth/rate-limit/rate-limit.service';
import { MailService } from '../mail/mail.service';
import { recordEvent } from '../events/record-event';
import { DEFAULT_WORKSPACE_SLUG } from '../workspaces/workspaces.service';

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });
const defaultUserName = (email: string): string => (email.split('@')[0] || 'user').slice(0, 64);

@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly users: UsersRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly uow: UnitOfWork,
    private readonly links: LinkTokensService,
    private readonly mail: MailService,
    private readonly rateLimit: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  list(workspaceId: string): Promise<MemberRecord[]> {
    return this.users.listMembers(workspaceId);
  }

  /**
   * Adds a member. An e-mail that already has an identity only gains a membership — its password
   * is never set from here, since that identity may belong to other workspaces too — and is told so
   * by mail. A new identity without a password is mailed an invite to choose one (7 days).
   *
   * An add that mails someone is counted (kind `invite`, per recipient and per client address) and
   * refused with 429 over the limit: else create a workspace, add, remove, add… would mail any
   * address at will, under a workspace name of the sender's choosing. Its buckets are not the login
   * mails', so being added again and again locks nobody out of magic links.
   */
  async add(
    me: Principal,
    email: string,
    role: Role,
    password: string | undefined,
    ip: string,
  ): Promise<{ userId: string }> {
    // Hashing is slow on purpose: skip it when the identity exists and the password would be ignored.
    const known = await this.users.findByEmail(email);
    const passwordHash = password && !known ? await hashPassword(password) : null;
    const workspace = await this.workspaces.findById(me.workspaceId);
    if (!workspace) throw new NotFoundError('Workspace', 'WORKSPACE_NOT_FOUND');
    // Counted before the add, so a refused one changes nothing; taken back if the add fails. (An
    // identity created between the look-up and the add gets one notice uncounted; never twice.)
    const mails = known !== undefined || !passwordHash;
    const attempt = mails ? await this.rateLimit.hit('invite', { ip, account: email }) : undefined;
    const added = await this.addMembership(me, email, role, passwordHash, workspace).catch(async (error: unknown) => {
      await attempt?.refund();
      throw error;
    });
    if (added.notify) await this.mailAddedMember(added.user.email, me.workspaceId, workspace.name, added.invite);
    return { userId: added.user.id };
  }

  private addMembership(
    me: Principal,
    email: string,
    role: Role,
    passwordHash: string | null,
    workspace: WorkspaceRecord,
  ): Promise<{ user: UserRecord; notify: boolean; invite: IssuedLink | undefined }> {
    return this.uow.run(async (tx, events) => {
      const existing = await this.users.findByEmail(email, tx);
      // A password chosen here opens this workspace only (see auth/confinement.ts).
      const user =
        existing ?? (await this.createIdentity(email, passwordHash, tx, passwordHash ? me.workspaceId : null));
      if (!(await this.users.addMembership(me.workspaceId, user.id, role, tx))) {
        throw new ConflictError('That user is already a member of this workspace', 'USER_ALREADY_MEMBER');
      }
      this.recordNewUser(events, me.workspaceId, user);
      // Invite links set a password, so only where passwords log in; elsewhere a notice will do.
      const invite =
        !existing && !passwordHash && this.config.auth.modes.has('password')
          ? await this.links.issue('invite', user.id, workspace, tx)
          : undefined;
      return { user, notify: existing !== undefined || !passwordHash, invite };
    });
  }

  /**
   * Self sign-up (INVITE_REQUIRED=false): a new identity, a `user` of the default workspace. A taken
   * e-mail is 400 `USER_EXISTS`, as the seed has it. Nobody proved the address is the registrant's,
   * so the password is confined to the default workspace like an admin-chosen one (see
   * auth/confinement.ts): else whoever registers ceo@bigcorp first would hold a key to every
   * workspace that address later joins. A password set through a mailed link becomes their own.
   */
  async register(email: string, password: string): Promise<UserRecord> {
    if (await this.users.findByEmail(email)) throw new BadRequestError('A user with that e-mail exists', 'USER_EXISTS');
    const passwordHash = await hashPassword(password);
    return this.uow.run(async (tx, events) => {
      const workspace = await this.workspaces.findBySlug(DEFAULT_WORKSPACE_SLUG, tx);
      if (!workspace) throw new Error('the default workspace is missing');
      const user = await this.users.create(
        { email, userName: defaultUserName(email), passwordHash, passwordWorkspaceId: workspace.id },
        tx,
      );
      // Lost a race with a concurrent sign-up (or invite) of the same address.
      if (!user) throw new BadRequestError('A user with that e-mail exists', 'USER_EXISTS');
      await this.users.addMembership(workspace.id, user.id, 'user', tx);
      this.recordNewUser(events, workspace.id, user);
      return user;
    });
  }

  // After the commit; a mail that fails is logged and the membership stands (a reset mail also sets a password).
  private async mailAddedMember(
    to: string,
    workspaceId: string,
    workspaceName: string,
    invite: IssuedLink | undefined,
  ): Promise<void> {
    const name = (await this.workspaces.getSettingsName(workspaceId)) ?? workspaceName;
    const mail = invite ? inviteMail(to, name, invite) : addedNoticeMail(to, name, this.config.server.appUrl);
    await this.mail.send(mail).catch((error: unknown) => {
      this.logger.warn(`mail to a new member failed: ${error instanceof Error ? error.message : String(error)}`);
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

  /** OAuth sign-up (only while INVITE_REQUIRED=false): the same rule as dev login, `NEW_USER` included. */
  findOrCreateForOAuthSignUp(email: string): Promise<UserRecord> {
    return this.findOrCreateForDevLogin(email);
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
