import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isEmail } from 'class-validator';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { NotFoundError } from '@parley/common';
import { OAuthIdentitiesRepository, UserRecord, UsersRepository } from '@parley/database';
import { UsersService } from '../../users/users.service';
import { WorkspacesService } from '../../workspaces/workspaces.service';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { SessionsService, TokenPair } from '../sessions.service';
import { GoogleOAuthStrategy, ProviderAccount } from './google.strategy';
import { appRedirect, OAuthFailure, oauthErrorCode } from './oauth-failure';

export interface OAuthProviderDto {
  id: string;
  name: string;
  loginUrl: string;
}

/** OAuth sign-in rules: which identity a provider account opens, and the session it gets. */
@Injectable()
export class OAuthService {
  private readonly logger = new Logger('OAuth');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly google: GoogleOAuthStrategy,
    private readonly identities: OAuthIdentitiesRepository,
    private readonly userRecords: UsersRepository,
    private readonly users: UsersService,
    private readonly workspaces: WorkspacesService,
    private readonly sessions: SessionsService,
    private readonly rateLimits: RateLimitService,
  ) {}

  /** The enabled providers; empty while AUTH_MODES lacks `oauth`. */
  listProviders(): OAuthProviderDto[] {
    return this.google.enabled
      ? [{ id: this.google.id, name: this.google.displayName, loginUrl: `/auth/oauth/${this.google.id}` }]
      : [];
  }

  /** The strategy of an enabled provider; anything else is as absent as an unknown route. */
  provider(id: string): GoogleOAuthStrategy {
    if (!this.config.auth.modes.has('oauth')) throw new NotFoundError('Login mode "oauth"', 'AUTH_MODE_DISABLED');
    if (id !== this.google.id || !this.google.enabled) {
      throw new NotFoundError('OAuth provider', 'OAUTH_PROVIDER_NOT_FOUND');
    }
    return this.google;
  }

  /**
   * The whole callback, which never throws: where the browser goes next — the app with the tokens,
   * or with `oauth_error`, always in the fragment (a query string reaches access logs).
   */
  async completeLogin(
    provider: GoogleOAuthStrategy,
    req: Request,
    res: Response,
    userAgent: string | undefined,
  ): Promise<string> {
    const appUrl = this.config.server.appUrl;
    try {
      // Counted before the code is exchanged: a flood of forged callbacks costs no provider calls.
      const ip = req.ip ?? 'unknown';
      const attempt = await this.rateLimits.hit('oauth', { ip });
      const login = await provider.completeAtProvider(req, res);
      const pair = await this.signIn(login.account, login.workspace, userAgent);
      // A login was no abuse: neither its callback nor its start counts, so an office behind one
      // address is never locked out by its own logins (only failed and abandoned flows count).
      await attempt.refund();
      await this.rateLimits.takeBack('oauth-start', { ip });
      return appRedirect(appUrl, {
        access_token: pair.accessToken,
        refresh_token: pair.refreshToken,
        expires_in: pair.exp,
        token_type: pair.tokenType,
      });
    } catch (error) {
      const code = oauthErrorCode(error);
      if (code) this.logger.warn(`OAuth login refused (${code}): ${(error as Error).message}`);
      else this.logger.error(error instanceof Error ? (error.stack ?? error.message) : 'non-error thrown');
      return appRedirect(appUrl, { oauth_error: code ?? 'server_error' });
    }
  }

  /**
   * Opens a session for the provider's account. The identity is the one linked to the account,
   * else the one with its verified e-mail (then linked), else — only while invites are not
   * required — a new one in the default workspace.
   */
  async signIn(
    account: ProviderAccount,
    workspaceSlug: string | undefined,
    userAgent: string | undefined,
  ): Promise<TokenPair> {
    const email = account.email?.trim().toLowerCase();
    if (!email || !account.emailVerified || !isEmail(email) || email.length > 254) {
      throw new OAuthFailure('email_not_verified', 'the provider did not vouch for an e-mail address');
    }
    // Per account, refused sign-ins only (unknown e-mail, no such workspace): a success is refunded.
    const attempt = await this.rateLimits.hit('oauth', { account: email });
    const user = await this.findOrCreateUser(account, email);
    const { workspace } = await this.workspaces.resolveForLogin(user.id, workspaceSlug);
    await attempt.refund();
    // Linked only once the login is sure to succeed; idempotent, so a retry or a race is harmless.
    await this.identities.link(account.provider, account.subject, user.id);
    // Not confined: the provider proved the e-mail, so no admin-chosen secret is involved.
    return this.sessions.start(user.id, workspace.id, userAgent);
  }

  private async findOrCreateUser(account: ProviderAccount, email: string): Promise<UserRecord> {
    const linkedId = await this.identities.findUserId(account.provider, account.subject);
    const linked = linkedId ? await this.userRecords.findById(linkedId) : undefined;
    if (linked) return linked;
    const known = await this.userRecords.findByEmail(email);
    if (known) return known;
    if (this.config.auth.inviteRequired) {
      throw new OAuthFailure('invite_required', 'no identity has this e-mail and invites are required');
    }
    return this.users.findOrCreateForOAuthSignUp(email);
  }
}
