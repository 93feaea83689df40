import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { UsersRepository, WorkspacesRepository } from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { DEFAULT_WORKSPACE_SLUG, WorkspacesService } from './workspaces.service';

/**
 * First boot: the default workspace, #general, and INITIAL_ADMIN_EMAIL as its admin (with
 * INITIAL_ADMIN_PASSWORD when set). Idempotent and safe when several processes boot at once.
 */
@Injectable()
export class FirstBootService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstBoot');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly workspaces: WorkspacesRepository,
    private readonly workspacesService: WorkspacesService,
    private readonly users: UsersRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
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
}
