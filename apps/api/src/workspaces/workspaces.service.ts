import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '@parley/common';
import {
  ConversationsRepository,
  Role,
  Tx,
  UsersRepository,
  WorkspaceRecord,
  WorkspacesRepository,
} from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { SLUG_PATTERN } from './dto/workspace.dto';

export const DEFAULT_WORKSPACE_SLUG = 'default';
export const DEFAULT_CHANNEL_NAME = 'general';

const slugify = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // drop the accents NFKD split off: "Café" → "cafe", not "cafe-"
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/g, '');

@Injectable()
export class WorkspacesService {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly users: UsersRepository,
    private readonly conversations: ConversationsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  listFor(userId: string) {
    return this.workspaces.listForUser(userId);
  }

  /** Creates a workspace with a #general channel; the creator becomes its admin. */
  async create(userId: string, name: string, slug: string | undefined): Promise<WorkspaceRecord> {
    const trimmed = name.trim();
    if (!trimmed) throw new BadRequestError('name must not be empty', 'VALIDATION_FAILED');
    const base = slug ?? slugify(trimmed);
    if (!SLUG_PATTERN.test(base)) {
      throw new BadRequestError('name yields no usable slug; pass a slug', 'VALIDATION_FAILED');
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const candidate = attempt === 0 || slug ? base : `${base}-${randomBytes(3).toString('hex')}`;
      const created = await this.uow.run((tx) => this.createWithAdmin(candidate, trimmed, userId, tx));
      if (created) return created;
      if (slug) break;
    }
    throw new ConflictError('A workspace with that slug exists', 'WORKSPACE_SLUG_TAKEN');
  }

  /** Creates a workspace, its settings and #general; undefined when the slug is taken. */
  async createWithAdmin(slug: string, name: string, adminUserId: string | null, tx: Tx) {
    const workspace = await this.workspaces.create(slug, name, tx);
    if (!workspace) return undefined;
    if (adminUserId) await this.users.addMembership(workspace.id, adminUserId, 'admin', tx);
    await this.conversations.createChannel(workspace.id, DEFAULT_CHANNEL_NAME, adminUserId, tx);
    return workspace;
  }

  /**
   * The workspace a login lands in: the named one (if the user belongs to it), else the one the
   * user joined first. Another workspace is indistinguishable from a missing one.
   */
  async resolveForLogin(userId: string, slug: string | undefined): Promise<{ workspace: WorkspaceRecord; role: Role }> {
    const memberships = await this.workspaces.listForUser(userId);
    if (slug !== undefined) {
      const match = memberships.find((w) => w.slug === slug);
      if (!match) throw new NotFoundError('Workspace', 'WORKSPACE_NOT_FOUND');
      return { workspace: match, role: match.role };
    }
    const first = memberships[0];
    if (!first) throw new ForbiddenError('This account belongs to no workspace', 'NO_WORKSPACE');
    return { workspace: first, role: first.role };
  }

  /** The default workspace's settings name, the server's name on the login screen; undefined before first boot. */
  defaultWorkspaceName(): Promise<string | undefined> {
    return this.workspaces.getSettingsNameBySlug(DEFAULT_WORKSPACE_SLUG);
  }

  async findById(id: string): Promise<WorkspaceRecord> {
    const workspace = await this.workspaces.findById(id);
    if (!workspace) throw new NotFoundError('Workspace', 'WORKSPACE_NOT_FOUND');
    return workspace;
  }
}
