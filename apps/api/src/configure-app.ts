import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@parley/config';
import { AllExceptionsFilter, bodyParserErrorHandler, createValidationPipe, jsonBodyParser } from '@parley/common';
import type { Logger } from 'pino';
import { httpLogging } from './logging';

// Routes whose bodies come from foreign tools (see jsonBodyParser).
const WEBHOOK_INGEST_PATHS = [/^\/webhooks\/[^/]+\/messages\/?$/];

/** Everything that shapes request handling; shared by main.ts and the e2e tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  app.disable('x-powered-by');
  // An API of changing JSON: no conditional requests, so no hash of every response body.
  app.set('etag', false);
  app.use(httpLogging(logger, { quietPaths: WEBHOOK_INGEST_PATHS }));
  app.use(jsonBodyParser({ limit: config.server.jsonBodyLimit, lenientPaths: WEBHOOK_INGEST_PATHS }));
  app.use(bodyParserErrorHandler);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
}
