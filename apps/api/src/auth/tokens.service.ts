import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '@parley/config';

export const SIGNING_SECRET = Symbol('SIGNING_SECRET');

export interface AccessClaims {
  sub: string;
  wid: string;
  sid: string;
}

// Token hashing lives once in libs/crypto, shared with the ephemeral rooms.
export { sha256 } from '@parley/crypto';

/**
 * Access tokens are JWTs bound to user + workspace + session. Refresh tokens are opaque:
 * `<sessionId>.<generation>.<mac>`, the MAC keyed by a server secret. Being derivable lets the
 * grace window hand out the *same* rotated token to a second tab without storing it; the database
 * keeps only its SHA-256.
 */
@Injectable()
export class TokensService {
  private readonly refreshKey: Buffer;

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SIGNING_SECRET) secret: string,
  ) {
    this.refreshKey = Buffer.from(hkdfSync('sha256', secret, 'parley', 'refresh-token-mac', 32));
  }

  get accessTtlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  issueAccessToken(claims: AccessClaims): string {
    return this.jwt.sign({ sub: claims.sub, wid: claims.wid, sid: claims.sid }, { expiresIn: this.accessTtlSeconds });
  }

  verifyAccessToken(token: string): AccessClaims | undefined {
    try {
      const claims = this.jwt.verify<Partial<AccessClaims>>(token);
      if (typeof claims.sub !== 'string' || typeof claims.wid !== 'string' || typeof claims.sid !== 'string') {
        return undefined;
      }
      return { sub: claims.sub, wid: claims.wid, sid: claims.sid };
    } catch {
      return undefined;
    }
  }

  refreshTokenFor(sessionId: string, generation: number): string {
    return `${sessionId}.${generation}.${this.mac(sessionId, generation)}`;
  }

  parseRefreshToken(token: string): { sessionId: string; generation: number } | undefined {
    const match = /^([0-9a-f-]{36})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return undefined;
    const [, sessionId, gen, mac] = match as unknown as [string, string, string, string];
    const generation = Number(gen);
    const expected = Buffer.from(this.mac(sessionId, generation));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return { sessionId, generation };
  }

  private mac(sessionId: string, generation: number): string {
    return createHmac('sha256', this.refreshKey).update(`${sessionId}.${generation}`).digest('base64url');
  }
}
