import type { TokenPair } from './types';

const REFRESH_KEY = 'parley.team.refreshToken';

/**
 * Where a tab keeps its session: the refresh token in localStorage (a reload stays logged in),
 * the access token in memory only (it is short-lived and travels in every request).
 */
export class SessionStore {
  private accessToken: string | undefined;

  get access(): string | undefined {
    return this.accessToken;
  }

  get refresh(): string | undefined {
    try {
      return window.localStorage.getItem(REFRESH_KEY) ?? undefined;
    } catch {
      return undefined; // storage disabled: the session lasts as long as the tab
    }
  }

  save(pair: Pick<TokenPair, 'accessToken' | 'refreshToken'>): void {
    this.accessToken = pair.accessToken;
    try {
      window.localStorage.setItem(REFRESH_KEY, pair.refreshToken);
    } catch {
      // see `refresh`
    }
  }

  clear(): void {
    this.accessToken = undefined;
    try {
      window.localStorage.removeItem(REFRESH_KEY);
    } catch {
      // see `refresh`
    }
  }
}
