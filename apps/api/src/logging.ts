import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '@parley/config';
import { Params } from 'nestjs-pino';
import pino from 'pino';

const SECRET_PARAMS = new Set(['token', 'access_token', 'refresh_token']);

/**
 * Secrets that travel in URLs (`?token=` for SSE and images) never reach a log line. Keys are
 * compared decoded, as Express reads them, so `%74oken=` is caught too.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
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

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.log.level,
      // Asynchronous writes, coalesced while one is in flight, instead of one synchronous syscall per line (these
      // were a tenth of a request's CPU). Idle, a line still goes out at once; pino flushes on exit.
      stream: pino.destination({ dest: 1, sync: false }),
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    },
  };
}
