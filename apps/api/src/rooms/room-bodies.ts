import { NextFunction, Request, RequestHandler, Response, urlencoded } from 'express';

// Express matches routes case-insensitively and with an optional trailing slash; so do these.
/** The hook route: its body is parsed as JSON whatever the Content-Type (configure-app.ts). */
export const ROOM_HOOK_PATHS: readonly RegExp[] = [/^\/hooks\/in\/[^/]+\/[^/]+\/?$/i];
const RENAME_PATH = /^\/rooms\/[^/]+\/rename\/?$/i;
const UPLOAD_PATH = /^\/rooms\/[^/]+\/files\/?$/i;

const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;
const passThrough: RequestHandler = (_req, _res, next) => next();

/**
 * Body parsing of the room routes that do not take JSON alone: rename takes the seed's form field
 * (`-d "name=…"`, urlencoded) as well as JSON; a file upload is left unread for multer, after the
 * route's rate limit and room checks. Every other route: undefined, the app's JSON parser decides.
 */
export function roomBodyParser(
  jsonBodies: RequestHandler,
  limit: string,
): (req: Request) => RequestHandler | undefined {
  // Flat fields only (no `a[b]=` nesting), not compressed: a room name is 50 characters.
  const form = urlencoded({ extended: false, limit, inflate: false, parameterLimit: 10 });
  const rename: RequestHandler = (req: Request, res: Response, next: NextFunction) =>
    (FORM_TYPE.test(req.headers['content-type'] ?? '') ? form : jsonBodies)(req, res, next);
  return (req) => {
    if (req.method !== 'POST') return undefined;
    if (RENAME_PATH.test(req.path)) return rename;
    if (UPLOAD_PATH.test(req.path)) return passThrough;
    return undefined;
  };
}
