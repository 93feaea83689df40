import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { OneTimeTokenPurpose, OneTimeTokenRecord, OneTimeTokensRepository, Tx } from '@parley/database';
import { sha256 } from '../tokens.service';

/** How long each kind of mailed (or printed) link stays usable; docs/decisions/0002-auth-flows.md. */
export const LINK_LIFETIME_SECONDS: Record<OneTimeTokenPurpose, number> = {
  'magic-link': 15 * 60,
  'password-reset': 60 * 60,
  invite: 7 * 24 * 3600,
  'initial-admin': 24 * 3600,
};

/** The links that let their holder set a password: invites, resets, and the initial admin's. */
export const PASSWORD_SETUP_PURPOSES: OneTimeTokenPurpose[] = ['invite', 'password-reset', 'initial-admin'];

// 32 random bytes, base64url without padding.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
// Share of issued links that also delete long-dead tokens: no timer needed, and links are rare.
const PRUNE_SHARE = 0.01;

/** A fresh link token and the only thing stored of it, its SHA-256. */
export function newLinkToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256(token) };
}

/**
 * The one scheme of every link Parley mails or prints: `${APP_URL}/#/auth/<purpose>?token=<token>`
 * (plus `&workspace=<slug>` when the link leads into one workspace). The token sits in the URL
 * fragment, which browsers never send, so it reaches no server or proxy log; the web UI reads it
 * and posts it to /auth/verify or /auth/setup-password.
 */
export function linkUrl(appUrl: string, purpose: OneTimeTokenPurpose, token: string, workspaceSlug?: string): string {
  const query = new URLSearchParams({ token });
  if (workspaceSlug) query.set('workspace', workspaceSlug);
  return `${appUrl}/#/auth/${purpose}?${query.toString()}`;
}

export interface IssuedLink {
  url: string;
  expiresAt: Date;
  lifetimeSeconds: number;
}

/** Issues and redeems the single-use tokens behind mailed links. */
@Injectable()
export class LinkTokensService {
  private readonly logger = new Logger('LinkTokens');

  constructor(
    private readonly tokens: OneTimeTokensRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(
    purpose: OneTimeTokenPurpose,
    userId: string,
    workspace: { id: string; slug: string } | null,
    tx?: Tx,
  ): Promise<IssuedLink> {
    if (Math.random() < PRUNE_SHARE) void this.prune();
    const { token, hash } = newLinkToken();
    const expiresAt = await this.tokens.create(
      {
        tokenHash: hash,
        purpose,
        userId,
        workspaceId: workspace?.id ?? null,
        lifetimeSeconds: LINK_LIFETIME_SECONDS[purpose],
      },
      tx,
    );
    return {
      url: linkUrl(this.config.server.appUrl, purpose, token, workspace?.slug),
      expiresAt,
      lifetimeSeconds: LINK_LIFETIME_SECONDS[purpose],
    };
  }

  /** Deletes tokens that expired or were used over a day ago; logged, never thrown (runs unawaited). */
  async prune(): Promise<number> {
    try {
      return await this.tokens.prune();
    } catch (error) {
      this.logger.warn(`pruning one-time tokens failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }

  /** The token's record if it is usable now, without using it up (to fail fast before slow work). */
  peek(token: string, purposes: OneTimeTokenPurpose[]): Promise<OneTimeTokenRecord | undefined> {
    if (!TOKEN_PATTERN.test(token)) return Promise.resolve(undefined);
    return this.tokens.findUsable(sha256(token), purposes);
  }

  /** Uses the token up; undefined when it is unknown, used, expired or of another purpose. */
  consume(token: string, purposes: OneTimeTokenPurpose[], tx?: Tx): Promise<OneTimeTokenRecord | undefined> {
    if (!TOKEN_PATTERN.test(token)) return Promise.resolve(undefined);
    return this.tokens.consume(sha256(token), purposes, tx);
  }
}
