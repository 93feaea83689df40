import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@parley/config';
import { AllExceptionsFilter, bodyParserErrorHandler, createValidationPipe, jsonBodyParser } from '@parley/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { IMAGE_UPLOAD_BODY_LIMIT, IMAGE_UPLOAD_PATHS } from './images/image-limits';
import { httpLogging } from './logging';
import { buildOpenApiDocument } from './openapi/openapi-document';

// Routes whose bodies come from foreign tools (see jsonBodyParser): the Bearer and the secret-URL webhooks.
const WEBHOOK_INGEST_PATHS = [/^\/webhooks\/[^/]+\/messages\/?$/, /^\/hooks\/[^/]+\/[^/]+\/message\/?$/i];
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
  // Image uploads are base64 JSON of up to 10 MB; only their routes get the larger limit.
  const uploadBodies = jsonBodyParser({ limit: IMAGE_UPLOAD_BODY_LIMIT, lenientPaths: [] });
  const jsonBodies = jsonBodyParser({ limit: config.server.jsonBodyLimit, lenientPaths: WEBHOOK_INGEST_PATHS });
  app.use((req: Request, res: Response, next: NextFunction) =>
    (IMAGE_UPLOAD_PATHS.some((p) => p.test(req.path)) ? uploadBodies : jsonBodies)(req, res, next),
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
