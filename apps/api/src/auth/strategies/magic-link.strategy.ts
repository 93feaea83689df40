import { Injectable, Logger } from '@nestjs/common';
import { UsersRepository, WorkspacesRepository } from '@parley/database';
import { MailService } from '../../mail/mail.service';
import { detached } from '../link-tokens/detached';
import { magicLinkMail } from '../link-tokens/link-mails';
import { LinkLoginService, invalidLinkToken } from '../link-tokens/link-login.service';
import { LinkTokensService } from '../link-tokens/link-tokens.service';
import { SessionsService, TokenPair } from '../sessions.service';

/** Passwordless login: a single-use link (15 minutes) mailed to the address. */
@Injectable()
export class MagicLinkStrategy {
  private readonly logger = new Logger('MagicLink');

  constructor(
    private readonly users: UsersRepository,
    private readonly workspaces: WorkspacesRepository,
    private readonly links: LinkTokensService,
    private readonly linkLogin: LinkLoginService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
  ) {}

  /**
   * Mails a link when the e-mail is a member (of the named workspace, if any). Detached: the caller
   * answers the same, equally fast, for every address.
   */
  request(email: string, workspaceSlug: string | undefined): void {
    detached(this.logger, 'magic link', async () => {
      const user = await this.users.findByEmail(email);
      if (!user) return;
      const memberships = await this.workspaces.listForUser(user.id);
      const workspace =
        workspaceSlug === undefined ? memberships[0] : memberships.find((w) => w.slug === workspaceSlug);
      if (!workspace) return;
      const link = await this.links.issue('magic-link', user.id, workspaceSlug === undefined ? null : workspace);
      await this.mail.send(magicLinkMail(user.email, link));
    });
  }

  /** Uses the link's token up and opens a session (never confined: the mailbox proved who this is). */
  async verify(
    token: string,
    request: { email?: string; workspace?: string },
    userAgent: string | undefined,
  ): Promise<TokenPair> {
    const login = await this.linkLogin.prepare(token, ['magic-link'], request);
    if (!(await this.links.consume(token, ['magic-link']))) throw invalidLinkToken();
    return this.sessions.start(login.user.id, login.workspaceId, userAgent);
  }
}
