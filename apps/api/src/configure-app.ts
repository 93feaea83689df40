import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@parley/config';
import { AllExceptionsFilter, bodyParserErrorHandler, createValidationPipe, jsonBodyParser } from '@parley/common';
import type { Logger } from 'pino';
import { httpLogging } from './logging';

// Routes whose bodies come from foreign tools (see jsonBodyParser).
const WEBHOOK_INGEST_PATHS = [/^\/webhooks\/[^/]+\/messages\/?$/];
// Logged only when they fail (or at debug level), see httpLogging: webhook ingest for its volume, event
// streams because a per-request child logger stays alive as long as the stream (a third of its memory).
const QUIET_LOG_PATHS = [...WEBHOOK_INGEST_PATHS, /^\/events\/?$/];

/** Everything that shapes request handling; shared by main.ts and the e2e tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  app.disable('x-powered-by');
  // An API of changing JSON: no conditional requests, so no hash of every response body.
  app.set('etag', false);
  app.use(httpLogging(logger, { quietPaths: QUIET_LOG_PATHS }));
  app.use(jsonBodyParser({ limit: config.server.jsonBodyLimit, lenientPaths: WEBHOOK_INGEST_PATHS }));
  app.use(bodyParserErrorHandler);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
}
