import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@parley/config';
import { AllExceptionsFilter, bodyParserErrorHandler, createValidationPipe } from '@parley/common';
import { Logger } from 'nestjs-pino';

/** Everything that shapes request handling; shared by main.ts and the e2e tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: config.server.jsonBodyLimit });
  app.use(bodyParserErrorHandler);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
}
