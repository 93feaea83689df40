import { Injectable, Logger } from '@nestjs/common';
import { BadRequestError } from '@parley/common';
import { OneTimeTokensRepository, SessionsRepository, UsersRepository } from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { MailService } from '../mail/mail.service';
import { hashPassword } from '../users/users.service';
import { detached } from './link-tokens/detached';
import { passwordResetMail } from './link-tokens/link-mails';
import { LINK_TOKEN_PROBLEM, LinkLoginService } from './link-tokens/link-login.service';
import { LinkTokensService, PASSWORD_SETUP_PURPOSES } from './link-tokens/link-tokens.service';
import { SessionsService, TokenPair } from './sessions.service';

// The seed answers a bad setup token with 400 (verify, being a login, answers 401).
const invalidSetupToken = () => new BadRequestError(LINK_TOKEN_PROBLEM, 'INVALID_LINK_TOKEN');

@Injectable()
export class PasswordLinksService {
  private readonly logger = new Logger('PasswordLinks');

  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: OneTimeTokensRepository,
    private readonly sessionsRepo: SessionsRepository,
    private readonly links: LinkTokensService,
    private readonly linkLogin: LinkLoginService,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly uow: UnitOfWork,
  ) {}

  /** Mails a reset link (1 hour) to a known identity; detached, so every address is answered alike. */
  requestReset(email: string): void {
    detached(this.logger, 'password reset mail', async () => {
      const user = await this.users.findByEmail(email);
      if (!user) return;
      const link = await this.links.issue('password-reset', user.id, null);
      await this.mail.send(passwordResetMail(user.email, link));
    });
  }

  /**
   * Sets the password a link's holder chose and logs them in. The password is their own (they hold
   * the mailbox), so it is never confined to a workspace. Every other session and outstanding link
   * of the identity ends with it: a reset is often the answer to a leaked password.
   */
  async setupPassword(
    token: string,
    password: string,
    request: { email?: string; workspace?: string },
    userAgent: string | undefined,
  ): Promise<TokenPair> {
    const login = await this.linkLogin.prepare(token, PASSWORD_SETUP_PURPOSES, request, invalidSetupToken);
    const passwordHash = await hashPassword(password);
    await this.uow.run(async (tx) => {
      // The identity first, like every change to what opens it (a removal racing this one waits
      // here instead of deadlocking over the token and the sessions).
      await this.users.lockIdentity(login.user.id, tx);
      if (!(await this.links.consume(token, PASSWORD_SETUP_PURPOSES, tx))) throw invalidSetupToken();
      await this.users.setOwnPassword(login.user.id, passwordHash, tx);
      await this.tokens.invalidateForUser(login.user.id, PASSWORD_SETUP_PURPOSES, tx);
      await this.sessionsRepo.revokeForUser(login.user.id, 'all', {}, tx);
    });
    return this.sessions.start(login.user.id, login.workspaceId, userAgent);
  }
}
