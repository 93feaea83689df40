import { ServerError, UnreachableError, UsageError } from './errors';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  /** Sent as `application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded` (the seed's rename takes a form field). */
  form?: Record<string, string>;
  /** Sent as `multipart/form-data`. */
  multipart?: FormData;
  headers?: Record<string, string>;
}

/** How long one request may take before the CLI gives up (exit 3). */
const REQUEST_TIMEOUT_MS = 60_000;

/** Checks and normalises a base URL: http(s), no trailing slash. */
export function parseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--base must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--base must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (url.search || url.hash) throw new UsageError('--base must not carry a query string or fragment');
  return url.href.replace(/\/+$/, '');
}

/** A tiny JSON-over-HTTP client: one method, typed errors for the exit codes. */
export class Http {
  constructor(
    readonly base: string,
    private readonly fetchImpl: FetchLike = fetch,
  ) {}

  /** `path` is joined to the base (which may carry a path prefix); an absolute URL is used as is. */
  url(path: string): string {
    return /^https?:\/\//i.test(path) ? path : `${this.base}${path}`;
  }

  get(path: string): Promise<unknown> {
    return this.request('GET', path);
  }

  post(path: string, options: RequestOptions = {}): Promise<unknown> {
    return this.request('POST', path, options);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<unknown> {
    const url = this.url(path);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body: RequestInit['body'];
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      body = new URLSearchParams(options.form);
    } else if (options.multipart) {
      body = options.multipart;
    }
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(url, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      text = await res.text();
    } catch (error) {
      throw new UnreachableError(`cannot reach ${new URL(url).origin}: ${networkReason(error)}`);
    }
    const parsed = parseBody(text);
    if (!res.ok) throw new ServerError(res.status, res.statusText, parsed);
    return parsed;
  }
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `fetch failed` hides the reason in `cause` (ECONNREFUSED, ENOTFOUND…). */
export function networkReason(error: unknown): string {
  // Duck-typed: errors thrown inside fetch need not share this realm's Error.
  const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const { code, message: causeMessage } = (cause ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return code;
  if (typeof causeMessage === 'string') return causeMessage;
  return typeof message === 'string' ? message : String(error);
}
