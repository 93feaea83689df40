import { SessionStore } from './session-store';
import type { ApiErrorBody, TokenPair } from './types';

/** A refused request, with the API's stable code (`INVALID_CREDENTIALS`, `RATE_LIMITED`, …). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * For an effect that reads something once: hands `request`'s answer to `use` (a failure to
 * `failed`, ignored by default) unless the effect was cleaned up first — the returned function,
 * which an effect returns as its cleanup. A component gone or a newer read started, a late answer
 * changes nothing.
 */
export function whileWanted<T>(
  request: Promise<T>,
  use: (answer: T) => void,
  failed: (error: unknown) => void = () => undefined,
): () => void {
  let wanted = true;
  request.then(
    (answer) => wanted && use(answer),
    (error: unknown) => wanted && failed(error),
  );
  return () => {
    wanted = false;
  };
}

/** The session ended (refresh refused): the page goes back to the login screen. */
export class SessionEndedError extends ApiError {
  constructor() {
    super('Your session has ended; please log in again', 401, 'SESSION_ENDED');
  }
}

const isErrorBody = (body: unknown): body is ApiErrorBody =>
  typeof body === 'object' && body !== null && typeof (body as ApiErrorBody).code === 'string';

async function failure(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status === 429) {
    const wait = res.headers.get('Retry-After');
    return new ApiError(`Too many attempts${wait ? `; try again in ${wait} s` : ''}`, 429, 'RATE_LIMITED');
  }
  if (isErrorBody(body)) return new ApiError(body.error, res.status, body.code);
  return new ApiError(`The server answered ${res.status}`, res.status, 'HTTP_ERROR');
}

/**
 * The team API over fetch, same origin. Requests carry the access token; a 401 refreshes the
 * session once (one refresh in flight for the whole tab — the refresh token rotates) and retries.
 */
export class TeamApi {
  private refreshing: Promise<string> | undefined;
  private readonly endedListeners = new Set<() => void>();

  constructor(readonly session = new SessionStore()) {}

  /** A request without the session (login routes). */
  async public<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await failure(res);
    return (await res.json()) as T;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let token = this.session.access ?? (await this.refreshed());
    let res = await this.send(method, path, body, token);
    if (res.status === 401) {
      token = await this.refreshed(token);
      res = await this.send(method, path, body, token);
    }
    if (!res.ok) throw await failure(res);
    return (await res.json()) as T;
  }

  get = <T>(path: string) => this.call<T>('GET', path);
  post = <T>(path: string, body?: unknown) => this.call<T>('POST', path, body ?? {});
  put = <T>(path: string, body?: unknown) => this.call<T>('PUT', path, body ?? {});
  delete = <T>(path: string, body?: unknown) => this.call<T>('DELETE', path, body);

  /** Tells `listener` when the session is over (refresh refused), so the page can show the login screen. */
  onSessionEnded(listener: () => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** A current access token (for the event stream's URL), refreshed if there is none. */
  async accessToken(): Promise<string> {
    return this.session.access ?? this.refreshed();
  }

  /** Starts a session from a login answer. */
  begin(pair: Pick<TokenPair, 'accessToken' | 'refreshToken'>): void {
    this.session.save(pair);
  }

  async logout(): Promise<void> {
    const refreshToken = this.session.refresh;
    this.session.clear();
    if (refreshToken) await this.public('POST', '/auth/logout', { refreshToken }).catch(() => undefined);
  }

  /**
   * A fresh access token. `stale` is the token a request was refused with: if another caller has
   * refreshed since, its token is used instead of rotating again.
   */
  async refreshed(stale?: string): Promise<string> {
    if (stale !== undefined && this.session.access !== undefined && this.session.access !== stale) {
      return this.session.access;
    }
    this.refreshing ??= this.rotate().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async rotate(): Promise<string> {
    const refreshToken = this.session.refresh;
    if (!refreshToken) throw this.ended();
    try {
      const pair = await this.public<TokenPair>('POST', '/auth/refresh', { refreshToken });
      this.session.save(pair);
      return pair.accessToken;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw this.ended();
      throw error; // the network or the server, not the session: keep it for the next try
    }
  }

  private ended(): SessionEndedError {
    this.session.clear();
    for (const listener of this.endedListeners) listener();
    return new SessionEndedError();
  }

  private send(method: string, path: string, body: unknown, token: string): Promise<Response> {
    return fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}
