import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { UnauthorizedError } from '@parley/common';
import { Principal, SessionRecord, SessionsRepository } from '@parley/database';
import { sha256, TokensService } from './tokens.service';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires (the seed's `exp: 900`). */
  exp: number;
  tokenType: 'Bearer';
}

const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;

/** Sessions: login creates one, refresh rotates its token, logout and revoke end it. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Opens a session in a workspace. `confined` sessions (a login with a password a workspace admin
   * chose) may act only inside that workspace; see ../auth/confinement.ts.
   */
  async start(
    userId: string,
    workspaceId: string,
    userAgent: string | undefined,
    confined = false,
  ): Promise<TokenPair> {
    const id = randomUUID();
    const refreshToken = this.tokens.refreshTokenFor(id, 0);
    await this.sessions.create({
      id,
      userId,
      workspaceId,
      restrictedWorkspaceId: confined ? workspaceId : null,
      refreshTokenHash: sha256(refreshToken),
      userAgent: userAgent?.slice(0, 300) ?? null,
      expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS),
    });
    return this.pair({ id, userId, workspaceId }, refreshToken);
  }

  /**
   * Rotates the refresh token. Presenting an older token is treated as theft and revokes the
   * session — except the just-rotated one within the grace window, which yields the current pair
   * again so two tabs refreshing at once do not log each other out.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const parsed = this.tokens.parseRefreshToken(refreshToken);
    if (!parsed) throw new UnauthorizedError('Invalid refresh token', 'INVALID_REFRESH_TOKEN');
    for (let attempt = 0; attempt < 3; attempt++) {
      const session = await this.liveSession(parsed.sessionId);
      // A user removed from the workspace gets no new tokens for it.
      if (!(await this.sessions.findPrincipal(session.id, session.userId, session.workspaceId))) {
        throw new UnauthorizedError('Session is no longer valid', 'SESSION_INVALID');
      }
      const presented = sha256(refreshToken);
      if (parsed.generation === session.refreshGeneration && presented.equals(session.refreshTokenHash)) {
        const next = this.tokens.refreshTokenFor(session.id, session.refreshGeneration + 1);
        const rotated = await this.sessions.rotate(
          session.id,
          session.refreshGeneration,
          sha256(next),
          new Date(Date.now() + SESSION_LIFETIME_MS),
        );
        if (rotated) return this.pair(session, next);
        continue; // a concurrent refresh rotated first: re-read and take the grace path
      }
      if (this.withinGrace(session, parsed.generation, presented)) {
        return this.pair(session, this.tokens.refreshTokenFor(session.id, session.refreshGeneration));
      }
      await this.sessions.revoke(session.id);
      throw new UnauthorizedError('Refresh token was already used; the session is revoked', 'REFRESH_TOKEN_REUSED');
    }
    throw new UnauthorizedError('Refresh token could not be rotated', 'INVALID_REFRESH_TOKEN');
  }

  /** Ends the session a refresh token belongs to. */
  async logout(refreshToken: string): Promise<void> {
    const parsed = this.tokens.parseRefreshToken(refreshToken);
    if (!parsed) throw new UnauthorizedError('Invalid refresh token', 'INVALID_REFRESH_TOKEN');
    const session = await this.sessions.findById(parsed.sessionId);
    if (!session) throw new UnauthorizedError('Invalid refresh token', 'INVALID_REFRESH_TOKEN');
    await this.sessions.revoke(session.id);
  }

  /** The caller's sessions (a confined session sees only its workspace's). */
  list(me: Principal): Promise<SessionRecord[]> {
    return this.sessions.listActiveForUser(me.userId, me.restrictedWorkspaceId);
  }

  /** Revokes the listed sessions of the caller, or all but the current one when none are listed. */
  revoke(me: Principal, sessionIds: string[] | undefined): Promise<number> {
    const onlyWorkspaceId = me.restrictedWorkspaceId;
    return sessionIds && sessionIds.length > 0
      ? this.sessions.revokeForUser(me.userId, sessionIds, { onlyWorkspaceId })
      : this.sessions.revokeForUser(me.userId, 'all', { exceptSessionId: me.sessionId, onlyWorkspaceId });
  }

  private async liveSession(sessionId: string): Promise<SessionRecord> {
    const session = await this.sessions.findById(sessionId);
    if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) {
      throw new UnauthorizedError('Session is no longer valid', 'SESSION_INVALID');
    }
    return session;
  }

  private withinGrace(session: SessionRecord, generation: number, presented: Buffer): boolean {
    return (
      generation === session.refreshGeneration - 1 &&
      session.previousRefreshTokenHash !== null &&
      presented.equals(session.previousRefreshTokenHash) &&
      session.rotatedAt !== null &&
      Date.now() - session.rotatedAt.getTime() <= this.config.auth.refreshGraceSeconds * 1000
    );
  }

  private pair(session: { id: string; userId: string; workspaceId: string }, refreshToken: string): TokenPair {
    return {
      accessToken: this.tokens.issueAccessToken({ sub: session.userId, wid: session.workspaceId, sid: session.id }),
      refreshToken,
      exp: this.tokens.accessTtlSeconds,
      tokenType: 'Bearer',
    };
  }
}
