import { Injectable } from '@nestjs/common';
import { DomainError, ForbiddenError, NotFoundError, UnauthorizedError } from '@parley/common';
import { OneTimeTokenPurpose, OneTimeTokenRecord, UserRecord, UsersRepository } from '@parley/database';
import { WorkspacesService } from '../../workspaces/workspaces.service';
import { LinkTokensService } from './link-tokens.service';

export interface LinkLogin {
  token: OneTimeTokenRecord;
  user: UserRecord;
  /** Where the session opens: the named workspace, else the link's, else the user's first. */
  workspaceId: string;
}

export const LINK_TOKEN_PROBLEM = 'The link is invalid, used or expired';
export const invalidLinkToken = (): DomainError => new UnauthorizedError(LINK_TOKEN_PROBLEM, 'INVALID_LINK_TOKEN');

/**
 * Checks everything a link login needs *before* the token is used up, so a request that fails
 * (wrong e-mail, a workspace the user is not in) leaves the link usable.
 */
@Injectable()
export class LinkLoginService {
  constructor(
    private readonly links: LinkTokensService,
    private readonly users: UsersRepository,
    private readonly workspaces: WorkspacesService,
  ) {}

  async prepare(
    token: string,
    purposes: OneTimeTokenPurpose[],
    request: { email?: string; workspace?: string },
    invalid: () => DomainError = invalidLinkToken,
  ): Promise<LinkLogin> {
    const record = await this.links.peek(token, purposes);
    const user = record && (await this.users.findById(record.userId));
    if (!record || !user) throw invalid();
    // A link opened for someone else's address: refuse it, and leave it usable.
    if (request.email !== undefined && request.email.toLowerCase() !== user.email) throw invalid();
    const memberships = await this.workspaces.listFor(user.id);
    const workspace =
      request.workspace !== undefined
        ? memberships.find((w) => w.slug === request.workspace)
        : (memberships.find((w) => w.id === record.workspaceId) ?? memberships[0]);
    if (!workspace) {
      if (request.workspace !== undefined) throw new NotFoundError('Workspace', 'WORKSPACE_NOT_FOUND');
      throw new ForbiddenError('This account belongs to no workspace', 'NO_WORKSPACE');
    }
    return { token: record, user, workspaceId: workspace.id };
  }
}
