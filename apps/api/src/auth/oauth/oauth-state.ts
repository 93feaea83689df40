import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';

/** How long a started login may take at the provider before its state is refused. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;
const MAX_STATE_LENGTH = 1024;

/** What the signed `state` carries. Short keys: it travels in two URLs. */
export interface OAuthStatePayload {
  /** The provider the flow was started for. */
  p: string;
  /** SHA-256 (base64url) of the browser's cookie secret: binds the state to that browser. */
  h: string;
  /** Expiry, epoch milliseconds. */
  e: number;
  /** Workspace slug the login should open (`?workspace=`). */
  w?: string;
}

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url');

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Signs and checks `state` with an HMAC keyed from the server secret, so the server keeps no
 * session store: whatever comes back unaltered and unexpired was issued here.
 */
export class OAuthStateCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'parley', 'oauth-state-mac', 32));
  }

  encode(payload: OAuthStatePayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload of a state this server issued and that has not expired; else undefined. */
  decode(state: unknown, now = Date.now()): OAuthStatePayload | undefined {
    if (typeof state !== 'string' || state.length > MAX_STATE_LENGTH) return undefined;
    const [body, mac, ...rest] = state.split('.');
    if (!body || !mac || rest.length > 0 || !sameText(mac, this.mac(body))) return undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (!isPayload(payload) || payload.e <= now) return undefined;
    return payload;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function isPayload(value: unknown): value is OAuthStatePayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.p === 'string' &&
    typeof v.h === 'string' &&
    typeof v.e === 'number' &&
    (v.w === undefined || typeof v.w === 'string')
  );
}

/** Every value of one cookie in a `Cookie` header (a browser may send several, for different paths). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/** The app state passport-oauth2 hands the store at the start (`authenticate(…, {state})`). */
export interface OAuthAppState {
  workspace?: string;
}

type StoreCallback = (err: Error | null, state?: string) => void;
type VerifyCallback = (err: Error | null, ok: string | false, info?: OAuthAppState | { reason: string }) => void;

/**
 * passport-oauth2's state store, without a server-side session: the PKCE verifier passport draws
 * goes to the browser in an HttpOnly cookie, and the signed state carries its hash. The callback
 * must bring back both, from the same browser, before the expiry — a login link forged by someone
 * else (login CSRF) carries a state whose hash matches no cookie of the victim's. The verifier is
 * then sent to the token endpoint, so a code stolen on the way is useless without the cookie too.
 *
 * passport-oauth2 picks the calling form by the methods' arity: keep store at 5 and verify at 4.
 */
export class OAuthStateStore {
  constructor(
    private readonly codec: OAuthStateCodec,
    private readonly provider: string,
    private readonly cookie: { name: string; options: CookieOptions },
  ) {}

  store(
    req: Request,
    verifier: string,
    appState: OAuthAppState | undefined,
    _meta: unknown,
    callback: StoreCallback,
  ): void {
    const payload: OAuthStatePayload = { p: this.provider, h: digest(verifier), e: Date.now() + OAUTH_STATE_TTL_MS };
    if (appState?.workspace) payload.w = appState.workspace;
    req.res?.cookie(this.cookie.name, verifier, { ...this.cookie.options, maxAge: OAUTH_STATE_TTL_MS });
    callback(null, this.codec.encode(payload));
  }

  verify(req: Request, state: unknown, _meta: unknown, callback: VerifyCallback): void {
    const payload = this.codec.decode(state);
    if (!payload || payload.p !== this.provider) return callback(null, false, { reason: 'state invalid or expired' });
    const verifier = cookieValues(req.headers.cookie, this.cookie.name).find((v) => sameText(digest(v), payload.h));
    if (!verifier) return callback(null, false, { reason: 'state not issued to this browser' });
    callback(null, verifier, payload.w ? { workspace: payload.w } : {});
  }

  /** Clears the cookie: a state is good for one callback, whatever its outcome. */
  forget(res: Response): void {
    res.clearCookie(this.cookie.name, this.cookie.options);
  }
}
