import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerService } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import pino, { Level, Logger } from 'pino';

// `code` and `state`: an OAuth callback's authorization code and the state bound to the browser.
const SECRET_PARAMS = new Set(['token', 'access_token', 'refresh_token', 'code', 'state']);

// `/hooks/:id/:secret/message` (routing ignores case, so this does too).
const HOOKS_PREFIX = /^\/+hooks(?=\/)/i;
const HOOK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// An ephemeral room's code, kept in `/hooks/in/<code>/<token>` lines as in every `/rooms/<code>` line.
const ROOM_CODE = /^[A-HJKMNP-Z2-9]{7}$/i;

/**
 * Secrets that travel in URLs (`?token=` for SSE and images, the secret of a `/hooks/…` URL) never
 * reach a log line. Keys are compared decoded, as Express reads them, so `%74oken=` is caught too.
 */
export function redactUrl(rawUrl: string | undefined): string | undefined {
  if (rawUrl === undefined) return undefined;
  const url = redactHookSecret(rawUrl);
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1).split('#')[0]);
  let redacted = false;
  for (const key of [...params.keys()]) {
    if (SECRET_PARAMS.has(key.toLowerCase())) {
      params.set(key, '[REDACTED]');
      redacted = true;
    }
  }
  return redacted ? `${url.slice(0, q)}?${params.toString().replace(/%5BREDACTED%5D/g, '[REDACTED]')}` : url;
}

/**
 * Under `/hooks/`, every path segment but the webhook id (a UUID) and `message` is redacted: the
 * secret, and whatever a misconfigured client put where the secret belongs. A room hook
 * (`/hooks/in/<code>/<token>`) keeps `in` and a code-shaped second segment; the token goes.
 */
function redactHookSecret(url: string): string {
  const prefix = HOOKS_PREFIX.exec(url);
  if (!prefix) return url;
  const end = url.search(/[?#]/);
  const pathEnd = end < 0 ? url.length : end;
  const parts = url.slice(prefix[0].length, pathEnd).split('/');
  const roomHook = parts[1]?.toLowerCase() === 'in';
  const keep = (s: string, i: number) =>
    s === '' ||
    (roomHook ? i === 1 || (i === 2 && ROOM_CODE.test(s)) : HOOK_ID.test(s) || s.toLowerCase() === 'message');
  const segments = parts.map((s, i) => (keep(s, i) ? s : '[REDACTED]'));
  return prefix[0] + segments.join('/') + url.slice(pathEnd);
}

/**
 * The process's one logger: JSON lines on stdout, written asynchronously and coalesced while a
 * write is in flight (a synchronous syscall per line was a tenth of a request's CPU). Idle, a line
 * still goes out at once; pino flushes on exit.
 */
export function createRootLogger(level: string): Logger {
  return pino({ level }, pino.destination({ dest: 1, sync: false }));
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** A caller's `X-Request-Id` when it is sane, else a new one; echoed on the response. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

function accessLevel(res: ServerResponse, quiet: boolean): Level {
  if (!res.writableFinished) return quiet ? 'debug' : 'error';
  if (res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400) return 'warn';
  return quiet ? 'debug' : 'info';
}

/**
 * One access line per request: id, method, URL (secrets redacted), status and time — no headers.
 * Info for a success, warn for 4xx, error for 5xx and for a request the client abandoned before
 * its answer. Paths in `quietPaths` log a success or an abandoned request at debug only: webhook
 * ingest, which a busy sink receives thousands of times a second, and event streams, which end by
 * the client going away. (pino-http did this with a child logger per request, kept for the whole
 * life of an event stream and a sixth of an ingest request's CPU.)
 */
export function httpLogging(root: Logger, options: { quietPaths: RegExp[] }): RequestHandler {
  const isQuiet = (req: Request) => options.quietPaths.some((p) => p.test(req.path));
  return (req: Request, res: Response, next: NextFunction) => {
    const id = requestId(req, res);
    const quiet = isQuiet(req);
    const started = Date.now();
    // 'close' follows 'finish', and comes alone when the client went away first.
    res.once('close', () => {
      const answered = res.writableFinished;
      const level = accessLevel(res, quiet);
      if (!root.isLevelEnabled(level)) return;
      root[level](
        {
          req: { id, method: req.method, url: redactUrl(req.url) },
          res: { statusCode: res.statusCode },
          responseTime: Date.now() - started,
        },
        answered ? 'request completed' : 'request aborted',
      );
    });
    next();
  };
}

/**
 * Nest's own logging (bootstrap, `new Logger(context)` in services) written through pino.
 * Deliberately no per-request context store: AsyncLocalStorage turns on promise hooks for the
 * whole process, which cost a tenth of an ingest request's CPU on Node 20.
 */
const NEST_BOOT_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

export class NestPinoLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    // Nest's start-up chatter (a line per module and per route) is debug: at info, `npm start`
    // shows what matters and ends with the welcome.
    const context = params[params.length - 1];
    this.write(typeof context === 'string' && NEST_BOOT_CONTEXTS.has(context) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  // Nest passes the context name last, and for errors a stack before it.
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    if (typeof rest[rest.length - 1] === 'string') fields.context = rest.pop();
    if (level === 'error' && typeof rest[0] === 'string') fields.stack = rest.shift();
    if (message instanceof Error) this.root[level]({ ...fields, err: message });
    else if (typeof message === 'object' && message !== null) this.root[level]({ ...fields, ...message });
    else this.root[level](fields, String(message));
  }
}
