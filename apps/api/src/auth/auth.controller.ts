import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Ip, Post, UseInterceptors } from '@nestjs/common';
import { APP_CONFIG, AppConfig, AUTH_MODES, AuthMode } from '@parley/config';
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from '@parley/common';
import { Principal, UserRecord } from '@parley/database';
import { UsersService } from '../users/users.service';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { SwitchWorkspaceDto, toWorkspaceDto } from '../workspaces/dto/workspace.dto';
import { assertNotConfined, isConfined } from './confinement';
import { CurrentPrincipal } from './decorators/current-principal.decorator';
import { Public } from './decorators/public.decorator';
import {
  DevLoginDto,
  MagicLinkRequestDto,
  PasswordLoginDto,
  PasswordResetRequestDto,
  RefreshDto,
  RegisterDto,
  RevokeSessionsDto,
  SetupPasswordDto,
  VerifyMagicLinkDto,
} from './dto/auth.dto';
import { OAuthProviderDto, OAuthService } from './oauth/oauth.service';
import { PasswordLinksService } from './password-links.service';
import { RateLimitKind, RateLimitService, RateLimitSubject } from './rate-limit/rate-limit.service';
import { RetryAfterInterceptor } from './rate-limit/retry-after.interceptor';
import { SessionsService, TokenPair } from './sessions.service';
import { DevStrategy } from './strategies/dev.strategy';
import { MagicLinkStrategy } from './strategies/magic-link.strategy';
import { PasswordStrategy } from './strategies/password.strategy';

const invalidCredentials = () => new UnauthorizedError('Invalid email or password', 'INVALID_CREDENTIALS');
// The seed's answers, the same whether or not the address has an account.
const MAGIC_LINK_SENT = 'If a matching account was found, a magic link has been sent.';
const RESET_LINK_SENT = 'If a matching account was found, a password reset link has been sent.';

/** `GET /auth/config`: what a login screen should offer. Nothing in it is a secret. */
export interface LoginConfigDto {
  /** The enabled login modes, always in AUTH_MODES order. */
  modes: AuthMode[];
  /** Whether `POST /auth/register` is open: `password` mode with INVITE_REQUIRED=false. */
  registration: boolean;
  /** As `GET /auth/oauth/providers` lists them (empty without `oauth` mode). */
  providers: OAuthProviderDto[];
  /** The default workspace's settings name; absent when there is no default workspace. */
  serverName?: string;
}

const bearerToken = (header: string | undefined): string | undefined =>
  header === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];

@Controller('auth')
@UseInterceptors(RetryAfterInterceptor)
export class AuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly workspaces: WorkspacesService,
    private readonly users: UsersService,
    private readonly dev: DevStrategy,
    private readonly password: PasswordStrategy,
    private readonly magicLink: MagicLinkStrategy,
    private readonly passwordLinks: PasswordLinksService,
    private readonly rateLimit: RateLimitService,
    private readonly oauth: OAuthService,
  ) {}

  /** Public discovery for the login screen: which modes to show and whether sign-up is open. */
  @Public()
  @Get('config')
  async loginConfig(): Promise<LoginConfigDto> {
    const { modes, inviteRequired } = this.config.auth;
    const serverName = await this.workspaces.defaultWorkspaceName();
    return {
      modes: AUTH_MODES.filter((mode) => modes.has(mode)),
      registration: modes.has('password') && !inviteRequired,
      providers: this.oauth.listProviders(),
      ...(serverName === undefined ? {} : { serverName }),
    };
  }

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
  passwordLogin(
    @Body() body: PasswordLoginDto,
    @Ip() ip: string | undefined,
    @Headers('user-agent') ua?: string,
  ): Promise<TokenPair> {
    this.requireMode('password');
    return this.counted('password', { ip: ip ?? 'unknown', account: body.email }, () =>
      this.loginWithPassword(body, ua),
    );
  }

  /** Mails a magic link to a known address; the same answer for any address. */
  @Public()
  @Post('login')
  @HttpCode(200)
  async requestMagicLink(@Body() body: MagicLinkRequestDto, @Ip() ip: string | undefined) {
    this.requireMode('magic-link');
    await this.rateLimit.hit('mail', { ip: ip ?? 'unknown', account: body.email });
    this.magicLink.request(body.email.toLowerCase(), body.workspace);
    return { success: true, message: MAGIC_LINK_SENT };
  }

  /** The magic link's token comes as `Authorization: Bearer` (the route is public: it is no JWT). */
  @Public()
  @Post('verify')
  @HttpCode(200)
  verifyMagicLink(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: VerifyMagicLinkDto,
    @Ip() ip: string | undefined,
    @Headers('user-agent') ua?: string,
  ): Promise<TokenPair> {
    this.requireMode('magic-link');
    const token = bearerToken(authorization);
    if (!token) throw new UnauthorizedError('Send the magic link token as Authorization: Bearer', 'AUTH_REQUIRED');
    return this.counted('link-token', { ip: ip ?? 'unknown' }, () => this.magicLink.verify(token, body, ua));
  }

  @Public()
  @Post('request-password-reset')
  @HttpCode(200)
  async requestPasswordReset(@Body() body: PasswordResetRequestDto, @Ip() ip: string | undefined) {
    this.requireMode('password');
    await this.rateLimit.hit('mail', { ip: ip ?? 'unknown', account: body.email });
    this.passwordLinks.requestReset(body.email.toLowerCase());
    return { success: true, message: RESET_LINK_SENT };
  }

  /** Redeems an invite, password-reset or initial-admin link: the token in the body or as Bearer. */
  @Public()
  @Post('setup-password')
  @HttpCode(200)
  setupPassword(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: SetupPasswordDto,
    @Ip() ip: string | undefined,
    @Headers('user-agent') ua?: string,
  ): Promise<TokenPair> {
    this.requireMode('password');
    const header = bearerToken(authorization);
    if (header !== undefined && body.token !== undefined && header !== body.token) {
      throw new BadRequestError('Two different tokens (body and Authorization)', 'VALIDATION_FAILED');
    }
    const token = body.token ?? header;
    if (token === undefined) {
      throw new BadRequestError('token is required (in the body or as Authorization: Bearer)', 'VALIDATION_FAILED');
    }
    const { email, workspace } = body;
    return this.counted('link-token', { ip: ip ?? 'unknown' }, () =>
      this.passwordLinks.setupPassword(token, body.password, { email, workspace }, ua),
    );
  }

  /** Self sign-up, only while INVITE_REQUIRED=false. */
  @Public()
  @Post('register')
  @HttpCode(200)
  async register(
    @Body() body: RegisterDto,
    @Ip() ip: string | undefined,
    @Headers('user-agent') ua?: string,
  ): Promise<TokenPair> {
    this.requireMode('password');
    if (this.config.auth.inviteRequired) {
      throw new ForbiddenError('Sign-up is by invitation only: ask a workspace admin', 'INVITE_REQUIRED');
    }
    // Every sign-up counts, successful or not: each one creates an identity.
    await this.rateLimit.hit('register', { ip: ip ?? 'unknown', account: body.email });
    const user = await this.users.register(body.email.toLowerCase(), body.password);
    // Its password is confined to the default workspace, and so is this first session.
    return this.passwordSession(user, undefined, ua);
  }

  private async loginWithPassword(body: PasswordLoginDto, ua: string | undefined): Promise<TokenPair> {
    const user = await this.password.validate(body.email, body.password);
    return this.passwordSession(user, body.workspace, ua);
  }

  /** The session a password opens; an admin-chosen or self-registered one opens its workspace only. */
  private async passwordSession(user: UserRecord, workspaceSlug: string | undefined, ua: string | undefined) {
    if (user.passwordWorkspaceId) {
      // Confined (see confinement.ts): no other workspace, and a confined session.
      const home = await this.workspaces.findById(user.passwordWorkspaceId).catch(() => {
        throw invalidCredentials();
      });
      if (workspaceSlug !== undefined && workspaceSlug !== home.slug) throw invalidCredentials();
      return (await this.login(user, home.slug, ua, true)).pair;
    }
    return (await this.login(user, workspaceSlug, ua)).pair;
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

  /**
   * Runs a credential check as one counted attempt; a success takes the attempt back, so only
   * failures (and attempts still running) count toward the limit.
   */
  private async counted<T>(kind: RateLimitKind, subject: RateLimitSubject, work: () => Promise<T>): Promise<T> {
    const ticket = await this.rateLimit.hit(kind, subject);
    const result = await work();
    await ticket.refund();
    return result;
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
