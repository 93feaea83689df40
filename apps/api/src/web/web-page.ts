import * as fs from 'node:fs';
import * as path from 'node:path';
import { NextFunction, Request, RequestHandler, Response, Router, static as serveStatic } from 'express';

/**
 * The browser page (apps/web, built by `npm run build:web` into dist/web), served beside the API:
 * `GET /` (the team app, which routes in the URL fragment: `/#/c/<id>`, `/#/auth/…`), `GET /chat`
 * and `GET /chat/:code` answer its index.html — for any code, the page itself shows a gone room —
 * and `/assets/*` its hashed files. Plain Express before Nest's router, like /docs: a static page
 * is not an API route, so no guard, no OpenAPI entry, no route snapshot.
 */

// Self only: the bundle's script and style, Socket.IO and fetch to this origin (CSP Level 3 'self'
// covers ws:/wss: on the same host), images from here (room files) or data:/blob: (previews).
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PAGE_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  // The room code is in the path: no page it links to learns it.
  'Referrer-Policy': 'no-referrer',
};

/** dist/web of the checkout this file runs from (as dist/apps/api/src/web or, under jest, apps/api/src/web). */
export function defaultWebRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'dist', 'web');
    if (path.dirname(dir) === dir) return path.join(process.cwd(), 'dist', 'web');
  }
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set(PAGE_HEADERS);
  next();
};

const plainText = (res: Response, status: number, text: string) =>
  res.status(status).set('Cache-Control', 'no-store').type('text/plain; charset=utf-8').send(text);

/** Express handlers for the page and its assets, reading the build from `root`. */
export function webPage(root: string = defaultWebRoot()): Router {
  const indexFile = path.join(root, 'index.html');
  const router = Router();

  // Vite puts only content-hashed names here: a year, immutable. A missing file is a 404 in plain
  // text, never the page (a stale tab asking for an old bundle must not get HTML as script).
  router.use(
    '/assets',
    securityHeaders,
    serveStatic(path.join(root, 'assets'), {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      immutable: true,
      maxAge: '1y',
    }),
    (_req: Request, res: Response) => plainText(res, 404, 'Not found'),
  );

  // Read per request (632 bytes): a rebuild is picked up without a restart. Revalidated on every
  // visit (no-cache), so a new build's hashed names reach every tab that reloads.
  // `/` is exactly the root: the team app's routes live in the fragment, which no server sees.
  router.get(['/', '/chat', '/chat/:code'], securityHeaders, (_req: Request, res: Response, next: NextFunction) => {
    fs.readFile(indexFile, (error, html) => {
      if (error) {
        if (error.code !== 'ENOENT') return next(error);
        return plainText(res, 503, 'The web page is not built: run `npm run build` (it writes dist/web).\n');
      }
      res.status(200).set('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(html);
    });
  });

  return router;
}
