import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';

/** The account a consent logs in as, in OpenID Connect userinfo claims. */
export interface FakeOAuthAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
}

/** Failures a test asks for; each applies until `reset()`. */
export interface FakeOAuthBehaviour {
  /** The consent page sends the browser back with `?error=<this>` instead of a code. */
  authorizeError?: string;
  /** The token endpoint answers 400 `{error: <this>}` instead of a token. */
  tokenError?: string;
  /** The userinfo endpoint answers this status with an error body. */
  userInfoStatus?: number;
}

/** One request the provider received, for assertions on what the client sent. */
export interface FakeOAuthRequest {
  method: string;
  path: string;
  /** Path and query as received. */
  url: string;
  authorization: string | undefined;
  /** The form body (token endpoint). */
  form: Record<string, string>;
}

interface Grant {
  account: FakeOAuthAccount;
  redirectUri: string;
  challenge: string | undefined;
  expiresAt: number;
  used: boolean;
}

const AUTHORIZE_PATH = '/o/oauth2/v2/auth';
const TOKEN_PATH = '/token';
// passport-google-oauth20 reads OpenID Connect claims only from a URL ending in /userinfo.
const USERINFO_PATH = '/v1/userinfo';

const random = () => randomBytes(24).toString('base64url');
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

function redirect(res: http.ServerResponse, target: string, params: Record<string, string | undefined>): void {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  res.writeHead(302, { Location: url.toString() }).end();
}

/**
 * A Google-shaped OAuth 2.0 provider on 127.0.0.1 over real HTTP, for tests: the authorize
 * endpoint consents at once as `account` and sends the browser back with a code and the state it
 * was given; the token endpoint checks the client's credentials, the code (single use, 5 minutes),
 * the redirect URI and the PKCE verifier; the userinfo endpoint takes the access token as a Bearer
 * header only. `behaviour` injects failures.
 */
export class FakeOAuthProvider {
  readonly clientId = 'fake-google-client';
  readonly clientSecret = 'fake-google-secret';
  account: FakeOAuthAccount = FakeOAuthProvider.defaultAccount();
  behaviour: FakeOAuthBehaviour = {};
  readonly requests: FakeOAuthRequest[] = [];
  private readonly grants = new Map<string, Grant>();
  private readonly tokens = new Map<string, FakeOAuthAccount>();

  private readonly server = http.createServer((req, res) => {
    this.handle(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'server_error' });
      else res.destroy();
    });
  });
  private baseUrl = '';

  private constructor() {}

  static async start(): Promise<FakeOAuthProvider> {
    const provider = new FakeOAuthProvider();
    await new Promise<void>((resolve, reject) => {
      provider.server.once('error', reject);
      provider.server.listen(0, '127.0.0.1', () => resolve());
    });
    provider.baseUrl = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
    return provider;
  }

  /** Where the provider listens, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.baseUrl;
  }

  private static defaultAccount(): FakeOAuthAccount {
    return { sub: '100000000000000000001', email: 'someone@example.com', email_verified: true, name: 'Someone' };
  }

  get authorizationUrl(): string {
    return this.url + AUTHORIZE_PATH;
  }
  get tokenUrl(): string {
    return this.url + TOKEN_PATH;
  }
  get userInfoUrl(): string {
    return this.url + USERINFO_PATH;
  }

  /** The OAUTH_GOOGLE_* variables that point Parley at this provider. */
  env(): Record<string, string> {
    return {
      OAUTH_GOOGLE_CLIENT_ID: this.clientId,
      OAUTH_GOOGLE_CLIENT_SECRET: this.clientSecret,
      OAUTH_GOOGLE_AUTHORIZATION_URL: this.authorizationUrl,
      OAUTH_GOOGLE_TOKEN_URL: this.tokenUrl,
      OAUTH_GOOGLE_USERINFO_URL: this.userInfoUrl,
    };
  }

  /** Logs the next consents in as this account. */
  loginAs(account: Partial<FakeOAuthAccount> & { email: string }): FakeOAuthAccount {
    this.account = { sub: randomBytes(8).readBigUInt64BE().toString(), email_verified: true, ...account };
    return this.account;
  }

  reset(): void {
    this.account = FakeOAuthProvider.defaultAccount();
    this.behaviour = {};
    this.requests.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await new Promise<string>((resolve, reject) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => resolve(body));
      req.on('error', reject);
    });
    const form = Object.fromEntries(new URLSearchParams(raw));
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      url: req.url ?? '',
      authorization: req.headers.authorization,
      form,
    });
    if (req.method === 'GET' && url.pathname === AUTHORIZE_PATH) return this.authorize(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === TOKEN_PATH) return this.token(req, form, res);
    if (req.method === 'GET' && url.pathname === USERINFO_PATH) return this.userInfo(req, url.searchParams, res);
    json(res, 404, { error: 'not_found' });
  }

  private authorize(query: URLSearchParams, res: http.ServerResponse): void {
    const redirectUri = query.get('redirect_uri');
    // Like Google: a bad client or redirect URI is shown to the user, never redirected to.
    if (query.get('client_id') !== this.clientId || !redirectUri || !URL.canParse(redirectUri)) {
      json(res, 400, { error: 'invalid_request', error_description: 'unknown client or redirect_uri' });
      return;
    }
    const state = query.get('state') ?? undefined;
    if (this.behaviour.authorizeError) {
      return redirect(res, redirectUri, { error: this.behaviour.authorizeError, state });
    }
    if (query.get('response_type') !== 'code') {
      return redirect(res, redirectUri, { error: 'unsupported_response_type', state });
    }
    const challenge = query.get('code_challenge') ?? undefined;
    if (challenge && query.get('code_challenge_method') !== 'S256') {
      return redirect(res, redirectUri, { error: 'invalid_request', state });
    }
    const code = random();
    this.grants.set(code, {
      account: { ...this.account },
      redirectUri,
      challenge,
      expiresAt: Date.now() + 5 * 60_000,
      used: false,
    });
    redirect(res, redirectUri, { code, state, scope: query.get('scope') ?? undefined });
  }

  private token(req: http.IncomingMessage, form: Record<string, string>, res: http.ServerResponse): void {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    const [id, secret] = basic
      ? Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent)
      : [form.client_id, form.client_secret];
    if (id !== this.clientId || secret !== this.clientSecret) {
      return json(res, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
    }
    if (this.behaviour.tokenError) {
      return json(res, 400, { error: this.behaviour.tokenError, error_description: 'injected by the test' });
    }
    if (form.grant_type !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
    const grant = form.code ? this.grants.get(form.code) : undefined;
    if (!grant || grant.used || grant.expiresAt < Date.now()) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'code unknown, used or expired' });
    }
    grant.used = true;
    if (form.redirect_uri !== grant.redirectUri) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
    }
    if (grant.challenge && (!form.code_verifier || s256(form.code_verifier) !== grant.challenge)) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'code_verifier mismatch' });
    }
    const accessToken = random();
    this.tokens.set(accessToken, grant.account);
    json(res, 200, {
      access_token: accessToken,
      expires_in: 3599,
      token_type: 'Bearer',
      scope: 'openid email profile',
    });
  }

  private userInfo(req: http.IncomingMessage, query: URLSearchParams, res: http.ServerResponse): void {
    // Google would accept it, but a token in a URL ends up in logs: refuse it so tests notice.
    if (query.has('access_token')) {
      return json(res, 400, { error: 'invalid_request', error_description: 'access token in the query string' });
    }
    if (this.behaviour.userInfoStatus) {
      return json(res, this.behaviour.userInfoStatus, { error: 'server_error', error_description: 'injected' });
    }
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const account = bearer ? this.tokens.get(bearer[1]) : undefined;
    if (!account) return json(res, 401, { error: 'invalid_token' });
    json(res, 200, account);
  }
}
