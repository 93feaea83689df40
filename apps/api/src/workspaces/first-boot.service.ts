import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { OneTimeTokensRepository, UsersRepository, WorkspacesRepository } from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { LINK_LIFETIME_SECONDS, linkUrl, newLinkToken } from '../auth/link-tokens/link-tokens.service';
import { DEFAULT_WORKSPACE_SLUG, WorkspacesService } from './workspaces.service';

/**
 * First boot: the default workspace, #general, and INITIAL_ADMIN_EMAIL as its admin (with
 * INITIAL_ADMIN_PASSWORD when set). Idempotent and safe when several processes boot at once.
 * When the admin would have no way in, it prints a one-time setup link (see printSetupLinkIfLockedOut).
 */
@Injectable()
export class FirstBootService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstBoot');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly workspaces: WorkspacesRepository,
    private readonly workspacesService: WorkspacesService,
    private readonly users: UsersRepository,
    private readonly tokens: OneTimeTokensRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.createDefaultWorkspace();
    await this.printSetupLinkIfLockedOut();
  }

  private async createDefaultWorkspace(): Promise<void> {
    if (await this.workspaces.findBySlug(DEFAULT_WORKSPACE_SLUG)) return;
    const email = this.config.auth.initialAdminEmail;
    const password = this.config.auth.initialAdminPassword;
    const passwordHash = password ? await argon2.hash(password, { type: argon2.argon2id }) : null;
    const created = await this.uow.run(async (tx) => {
      const admin =
        (await this.users.create({ email, userName: email.split('@')[0] ?? 'admin', passwordHash }, tx)) ??
        (await this.users.findByEmail(email, tx));
      if (!admin) throw new Error('initial admin could not be created');
      return this.workspacesService.createWithAdmin(DEFAULT_WORKSPACE_SLUG, 'Parley', admin.id, tx);
    });
    if (created) this.logger.log(`created the default workspace with ${email} as its admin`);
  }

  /**
   * With no dev mode, no INITIAL_ADMIN_PASSWORD and no mail, an initial admin without a password
   * could never log in. Then a setup link (24 h, single use) is printed to stdout: the one secret
   * Parley deliberately prints, because the alternative is a server nobody can administer, and
   * whoever reads its console already runs it. Plain text rather than a log record, so LOG_LEVEL
   * cannot hide it; printed once per link (a restart prints a new one only after it expired, and
   * processes booting together print one between them). Setting the password uses it up.
   */
  private async printSetupLinkIfLockedOut(): Promise<void> {
    const { modes, initialAdminPassword, initialAdminEmail } = this.config.auth;
    if (modes.has('dev') || initialAdminPassword || this.config.mail.smtpUrl || !modes.has('password')) return;
    const [admin, workspace] = await Promise.all([
      this.users.findByEmail(initialAdminEmail),
      this.workspaces.findBySlug(DEFAULT_WORKSPACE_SLUG),
    ]);
    if (!admin || admin.passwordHash || !workspace) return;
    const { token, hash } = newLinkToken();
    const issued = await this.uow.run((tx) =>
      this.tokens.createInitialAdminUnlessLive(
        {
          tokenHash: hash,
          userId: admin.id,
          workspaceId: workspace.id,
          lifetimeSeconds: LINK_LIFETIME_SECONDS['initial-admin'],
        },
        tx,
      ),
    );
    if (!issued) return;
    const url = linkUrl(this.config.server.appUrl, 'initial-admin', token, workspace.slug);
    process.stdout.write(
      [
        '',
        `No way to log in yet for ${initialAdminEmail} (no dev mode, INITIAL_ADMIN_PASSWORD or SMTP_URL).`,
        'Open this one-time link within 24 hours to choose the admin password:',
        `  ${url}`,
        `(or POST ${this.config.server.appUrl}/auth/setup-password with {"token": "<token>", "password": "…"})`,
        '',
      ].join('\n') + '\n',
    );
  }
}
