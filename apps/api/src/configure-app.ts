import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@parley/config';
import {
  AllExceptionsFilter,
  bodyParserErrorHandler,
  createValidationPipe,
  ErrorBody,
  jsonBodyParser,
} from '@parley/common';
import { TokensService } from './auth/tokens.service';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { IMAGE_UPLOAD_BODY_LIMIT, IMAGE_UPLOAD_PATHS } from './images/image-limits';
import { httpLogging } from './logging';
import { ROOM_HOOK_PATHS, roomBodyParser } from './rooms/room-bodies';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { webPage } from './web/web-page';

// Routes whose bodies come from foreign tools (see jsonBodyParser): the Bearer and the secret-URL webhooks,
// and the ephemeral rooms' hooks.
const WEBHOOK_INGEST_PATHS = [
  /^\/webhooks\/[^/]+\/messages\/?$/,
  /^\/hooks\/[^/]+\/[^/]+\/message\/?$/i,
  ...ROOM_HOOK_PATHS,
];
// Logged only when they fail (or at debug level), see httpLogging: webhook ingest for its volume, event
// streams because a per-request child logger stays alive as long as the stream (a third of its memory).
const QUIET_LOG_PATHS = [...WEBHOOK_INGEST_PATHS, /^\/events\/?$/];

/** Everything that shapes request handling; shared by main.ts and the e2e tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  app.disable('x-powered-by');
  // Decides req.ip (login rate limits key on it): only the listed proxies may name the client.
  app.set('trust proxy', config.server.trustProxy);
  // An API of changing JSON: no conditional requests, so no hash of every response body.
  app.set('etag', false);
  app.use(httpLogging(logger, { quietPaths: QUIET_LOG_PATHS }));
  // The room page (/chat, /chat/:code) and its /assets: static files from dist/web, public (web/web-page.ts).
  app.use(webPage());
  // Image uploads are base64 JSON of up to 10 MB; only their routes get the larger limit.
  // Parsing 16 MB is work: only for a caller with a valid access token (the guard still decides
  // access), and never compressed (a small gzip body could expand to the whole limit).
  const tokens = app.get(TokensService);
  const largeBodies = jsonBodyParser({ limit: IMAGE_UPLOAD_BODY_LIMIT, lenientPaths: [], inflate: false });
  const uploadBodies = (req: Request, res: Response, next: NextFunction) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !tokens.verifyAccessToken(token)) {
      // The same answers the AuthGuard gives.
      const body: ErrorBody = token
        ? { error: 'Invalid or expired access token', code: 'INVALID_TOKEN' }
        : { error: 'Missing access token', code: 'AUTH_REQUIRED' };
      res.status(401).json(body);
      return;
    }
    largeBodies(req, res, next);
  };
  const jsonBodies = jsonBodyParser({ limit: config.server.jsonBodyLimit, lenientPaths: WEBHOOK_INGEST_PATHS });
  // Room rename also takes a form field and room uploads are multipart (rooms/room-bodies.ts).
  const roomBodies = roomBodyParser(jsonBodies, config.server.jsonBodyLimit);
  app.use((req: Request, res: Response, next: NextFunction) =>
    (roomBodies(req) ?? (IMAGE_UPLOAD_PATHS.some((p) => p.test(req.path)) ? uploadBodies : jsonBodies))(req, res, next),
  );
  app.use(bodyParserErrorHandler);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  // The API's OpenAPI page and JSON (built on first request: nothing at boot). Public, like /health.
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    raw: ['json'],
    customSiteTitle: 'Parley API',
  });
}
