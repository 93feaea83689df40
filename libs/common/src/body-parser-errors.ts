import type { NextFunction, Request, Response } from 'express';
import { ErrorBody } from './error-body';

interface BodyParserError {
  type?: unknown;
  status?: unknown;
}

/**
 * Express error middleware placed right after the body parsers: Nest would turn a malformed body
 * into a generic 400 carrying the parser's message; this answers with stable codes instead.
 */
export function bodyParserErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = (typeof err === 'object' && err !== null ? err : {}) as BodyParserError;
  const answer = (status: number, body: ErrorBody) => void res.status(status).json(body);
  switch (e.type) {
    case 'entity.parse.failed':
      return answer(400, { error: 'Malformed JSON body', code: 'INVALID_JSON' });
    case 'entity.too.large':
      return answer(413, { error: 'Request body too large', code: 'PAYLOAD_TOO_LARGE' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return answer(415, { error: 'Unsupported body encoding', code: 'UNSUPPORTED_MEDIA_TYPE' });
    default:
      // Some parser errors carry a 4xx status but no `type` (e.g. a body that is not encoded as its
      // Content-Encoding claims fails in zlib); they are bad input too, not a server fault.
      if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
        return answer(e.status, { error: 'Unreadable request body', code: 'BAD_REQUEST' });
      }
      next(err);
  }
}
