import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { APP_CONFIG, AppConfig, AuthMode } from '@parley/config';
import { NotFoundError, UnauthorizedError } from '@parley/common';
import { Principal, UserRecord } from '@parley/database';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { SwitchWorkspaceDto, toWorkspaceDto } from '../workspaces/dto/workspace.dto';
import { assertNotConfined, isConfined } from './confinement';
import { CurrentPrincipal } from './decorators/current-principal.decorator';
import { Public } from './decorators/public.decorator';
import { DevLoginDto, PasswordLoginDto, RefreshDto, RevokeSessionsDto } from './dto/auth.dto';
import { SessionsService, TokenPair } from './sessions.service';
import { DevStrategy } from './strategies/dev.strategy';
import { PasswordStrategy } from './strategies/password.strategy';

const invalidCredentials = () => new UnauthorizedError('Invalid email or password', 'INVALID_CREDENTIALS');

@Controller('auth')
export class AuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly workspaces: WorkspacesService,
    private readonly dev: DevStrategy,
    private readonly password: PasswordStrategy,
  ) {}

  @Public()
  @Post('dev-login')
  @HttpCode(200)
  async devLogin(@Body() body: DevLoginDto, @Headers('user-agent') ua?: string) {
    this.requireMode('dev');
    const user = await this.dev.validate(body.email);
    const { pair, role } = await this.login(user, body.workspace, ua);
    return {
      user: { id: user.id, userName: user.userName, email: user.email, isAdmin: role === 'admin' },
      token: pair.accessToken,
      ...pair,
    };
  }

  @Public()
  @Post('password-login')
  @HttpCode(200)
  async passwordLogin(@Body() body: PasswordLoginDto, @Headers('user-agent') ua?: string): Promise<TokenPair> {
    this.requireMode('password');
    const user = await this.password.validate(body.email, body.password);
    if (user.passwordWorkspaceId) {
      // A password a workspace admin chose opens that workspace only (see confinement.ts).
      const home = await this.workspaces.findById(user.passwordWorkspaceId).catch(() => {
        throw invalidCredentials();
      });
      if (body.workspace !== undefined && body.workspace !== home.slug) throw invalidCredentials();
      return (await this.login(user, home.slug, ua, true)).pair;
    }
    return (await this.login(user, body.workspace, ua)).pair;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(200)
  async logout(@Body() body: RefreshDto): Promise<{ success: true }> {
    await this.sessions.logout(body.refreshToken);
    return { success: true };
  }

  @Get('me')
  async me(@CurrentPrincipal() me: Principal) {
    const workspace = await this.workspaces.findById(me.workspaceId);
    return {
      user: { id: me.userId, userName: me.userName, email: me.email, isAdmin: me.role === 'admin' },
      workspace: toWorkspaceDto(workspace, me.role),
    };
  }

  @Get('sessions')
  async listSessions(@CurrentPrincipal() me: Principal) {
    const sessions = await this.sessions.list(me);
    return {
      sessions: sessions.map((s) => ({
        id: s.id,
        workspaceId: s.workspaceId,
        userAgent: s.userAgent,
        createdAt: s.createdAt.getTime(),
        lastUsedAt: s.lastUsedAt.getTime(),
        current: s.id === me.sessionId,
      })),
    };
  }

  /** Revokes the listed sessions, or every other session of the caller when none are listed. */
  @Delete('sessions')
  async revokeSessions(@CurrentPrincipal() me: Principal, @Body() body: RevokeSessionsDto) {
    const revoked = await this.sessions.revoke(me, body.sessionIds);
    return { success: true, revoked };
  }

  @Post('switch-workspace')
  @HttpCode(200)
  async switchWorkspace(
    @CurrentPrincipal() me: Principal,
    @Body() body: SwitchWorkspaceDto,
    @Headers('user-agent') ua?: string,
  ) {
    const { workspace, role } = await this.workspaces.resolveForLogin(me.userId, body.workspace);
    if (isConfined(me) && workspace.id !== me.restrictedWorkspaceId) assertNotConfined(me, 'Switching workspace');
    const pair = await this.sessions.start(me.userId, workspace.id, ua, isConfined(me));
    return { ...pair, workspace: toWorkspaceDto(workspace, role) };
  }

  private async login(user: UserRecord, workspaceSlug: string | undefined, ua: string | undefined, confined = false) {
    const { workspace, role } = await this.workspaces.resolveForLogin(user.id, workspaceSlug);
    return { pair: await this.sessions.start(user.id, workspace.id, ua, confined), role };
  }

  // A disabled login mode is as absent as an unknown route.
  private requireMode(mode: AuthMode): void {
    if (!this.config.auth.modes.has(mode)) throw new NotFoundError(`Login mode "${mode}"`, 'AUTH_MODE_DISABLED');
  }
}
