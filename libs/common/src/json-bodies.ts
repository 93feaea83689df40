import { json, NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorBody } from './error-body';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

const hasBody = (req: Request): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * JSON routes take JSON: a body of another media type is answered 415 instead of being silently
 * ignored. Webhook ingest paths are lenient — alerting tools often send JSON as text/plain or with
 * no type at all — so their bodies are parsed as JSON whatever the header says.
 */
export function jsonBodyParser(options: { limit: string; lenientPaths: RegExp[]; inflate?: boolean }): RequestHandler {
  const isLenient = (req: Request) => options.lenientPaths.some((p) => p.test(req.path));
  const inflate = options.inflate ?? true;
  const lenient = json({ limit: options.limit, type: () => true, inflate });
  const strict = json({ limit: options.limit, inflate });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();
    if (isLenient(req)) return lenient(req, res, next);
    if (JSON_TYPE.test(req.headers['content-type'] ?? '')) return strict(req, res, next);
    const body: ErrorBody = { error: 'Send the request body as application/json', code: 'UNSUPPORTED_MEDIA_TYPE' };
    res.status(415).json(body);
  };
}
