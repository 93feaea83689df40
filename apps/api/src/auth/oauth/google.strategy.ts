import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import passport from 'passport';
import { Profile, Strategy as PassportGoogleStrategy, StrategyOptions } from 'passport-google-oauth20';
import type { VerifyCallback } from 'passport-oauth2';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { BadRequestError } from '@parley/common';
import { SIGNING_SECRET } from '../tokens.service';
import { OAuthFailure } from './oauth-failure';
import { OAuthAppState, OAuthStateCodec, OAuthStateStore } from './oauth-state';

/** The provider's account, as its userinfo endpoint described it. */
export interface ProviderAccount {
  provider: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
}

export interface ProviderLogin {
  account: ProviderAccount;
  /** The workspace slug the flow was started with. */
  workspace: string | undefined;
}

const PROVIDER = 'google';
const SCOPES = ['openid', 'email', 'profile'];
// The `oauth` client behind passport-oauth2 sets no timeout of its own; a provider that never
// answers must not hold the browser on a blank page.
const PROVIDER_TIMEOUT_MS = 15_000;

/** passport-google-oauth20 with one change: the provider's access token never goes in a URL. */
class GoogleStrategy extends PassportGoogleStrategy {
  constructor(options: StrategyOptions, verify: (a: string, r: string, p: Profile, done: VerifyCallback) => void) {
    super(options, verify);
    // By default `oauth` sends it to the userinfo endpoint as `?access_token=`, where proxies log it.
    this._oauth2.useAuthorizationHeaderforGET(true);
  }
}

/** The userinfo claims (OpenID Connect names) as the account passport hands on. */
function toAccount(_accessToken: string, _refreshToken: string, profile: Profile, done: VerifyCallback): void {
  const claims = profile._json as unknown as Record<string, unknown>;
  const subject = profile.id;
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) {
    return done(new OAuthFailure('provider_error', 'userinfo has no usable subject'));
  }
  const account: ProviderAccount = {
    provider: PROVIDER,
    subject,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    // Google has answered both `true` and `"true"` over the years.
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
  };
  done(null, account);
}

/** What a failed provider round trip may say in the log: never the body, which may echo secrets. */
function describeProviderError(err: unknown): string {
  if (!(err instanceof Error)) return 'non-error';
  const e = err as Error & { code?: unknown; oauthError?: { statusCode?: unknown } };
  const status = e.oauthError?.statusCode;
  const details = [typeof e.code === 'string' ? e.code : '', typeof status === 'number' ? `HTTP ${status}` : ''];
  const said = details.filter(Boolean).join(', ');
  return `${e.name}: ${e.message}${said ? ` (${said})` : ''}`;
}

const workspaceOf = (info: unknown): string | undefined =>
  (info as { state?: OAuthAppState } | undefined)?.state?.workspace;

const isParam = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 2048;

/**
 * What passport-oauth2 would get wrong: a callback without `code` would start a new flow, and a
 * repeated parameter arrives as an array. The provider's own error is told apart from ours.
 */
function checkCallbackQuery(query: Request['query']): void {
  if (query.error !== undefined) {
    const said = typeof query.error === 'string' ? query.error.slice(0, 64) : 'malformed';
    throw new OAuthFailure(said === 'access_denied' ? 'access_denied' : 'provider_error', `provider said ${said}`);
  }
  if (!isParam(query.state)) throw new OAuthFailure('invalid_state', 'no state in the callback');
  if (!isParam(query.code)) throw new OAuthFailure('invalid_request', 'no code in the callback');
}

/**
 * Google sign-in through passport-google-oauth20 on a private Authenticator (no global passport
 * state, no session): the endpoints come from OAUTH_GOOGLE_*, the state from OAuthStateStore.
 */
@Injectable()
export class GoogleOAuthStrategy {
  readonly id = PROVIDER;
  readonly displayName = 'Google';
  readonly enabled: boolean;
  private readonly passport = new passport.Passport();
  private readonly stateStore: OAuthStateStore | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(SIGNING_SECRET) secret: string) {
    const google = config.oauth.google;
    this.enabled = config.auth.modes.has('oauth') && !!google.clientId && !!google.clientSecret;
    if (!this.enabled || !google.clientId || !google.clientSecret) return;
    const callbackUrl = google.redirectUrl ?? `${config.server.appUrl}/auth/oauth/${PROVIDER}/callback`;
    const callback = new URL(callbackUrl);
    this.stateStore = new OAuthStateStore(new OAuthStateCodec(secret), PROVIDER, {
      name: `parley_oauth_${PROVIDER}`,
      // Lax: sent on the provider's top-level redirect back. Only to the callback path.
      options: { httpOnly: true, sameSite: 'lax', secure: callback.protocol === 'https:', path: callback.pathname },
    });
    const strategy = new GoogleStrategy(
      {
        clientID: google.clientId,
        clientSecret: google.clientSecret,
        callbackURL: callbackUrl,
        authorizationURL: google.authorizationUrl,
        tokenURL: google.tokenUrl,
        userProfileURL: google.userInfoUrl,
        scope: SCOPES,
        pkce: true,
        // passport-oauth2 reads the store's methods by arity; the typings know fewer forms.
        store: this.stateStore as unknown as StrategyOptions['store'],
      },
      toAccount,
    );
    this.passport.use(PROVIDER, strategy);
  }

  /** Answers with a 302 to the provider's consent page and sets the state cookie. */
  redirectToProvider(req: Request, res: Response, workspace: string | undefined): Promise<void> {
    // passport-oauth2 would take these for a callback arriving at the start route.
    const body = req.body as Record<string, unknown> | undefined;
    if (req.query.code !== undefined || req.query.error !== undefined || body?.code !== undefined) {
      throw new BadRequestError('code and error belong to the callback', 'VALIDATION_FAILED');
    }
    const appState: OAuthAppState = workspace ? { workspace } : {};
    // An object, not a string: passport-oauth2 hands an object to the store, a string bypasses it.
    const state = appState as unknown as string;
    return new Promise((resolve, reject) => {
      res.once('close', () => resolve());
      const middleware = this.passport.authenticate(PROVIDER, { session: false, state }, (err: unknown) =>
        reject(err instanceof Error ? err : new Error('OAuth start failed')),
      ) as (req: Request, res: Response, next: (err?: unknown) => void) => void;
      middleware(req, res, (err) => reject(err instanceof Error ? err : new Error('OAuth start passed')));
    });
  }

  /**
   * The callback's second half: checks the state against the cookie, exchanges the code (with the
   * PKCE verifier) and reads userinfo. Rejects with an OAuthFailure.
   */
  async completeAtProvider(req: Request, res: Response): Promise<ProviderLogin> {
    this.stateStore?.forget(res);
    checkCallbackQuery(req.query);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new OAuthFailure('provider_error', 'the provider did not answer in time')),
        PROVIDER_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([this.authenticate(req, res), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private authenticate(req: Request, res: Response): Promise<ProviderLogin> {
    return new Promise((resolve, reject) => {
      const done = (err: unknown, account?: ProviderAccount | false, info?: unknown) => {
        if (err) {
          reject(err instanceof OAuthFailure ? err : new OAuthFailure('provider_error', describeProviderError(err)));
        } else if (!account) {
          // The store refused the state (passport's "fail"); its reason says which check.
          const reason = (info as { reason?: string } | undefined)?.reason ?? 'state refused';
          reject(new OAuthFailure('invalid_state', reason));
        } else {
          resolve({ account, workspace: workspaceOf(info) });
        }
      };
      const middleware = this.passport.authenticate(PROVIDER, { session: false }, done) as (
        req: Request,
        res: Response,
        next: (err?: unknown) => void,
      ) => void;
      middleware(req, res, (err) => reject(err instanceof Error ? err : new Error('OAuth callback passed')));
    });
  }
}
