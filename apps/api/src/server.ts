import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@parley/config';
import { RunningDatabase, startEmbeddedPostgres } from '@parley/database';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { createRootLogger, NestPinoLogger } from './logging';

export interface RunningServer {
  app: NestExpressApplication;
  url: string;
  embedded: boolean;
  /** Drains SSE, closes the HTTP server and the pool, then stops the embedded database. */
  close(): Promise<void>;
}

/** The database: `DATABASE_URL`, else an embedded PostgreSQL under `PARLEY_DATA_DIR`. */
export async function openDatabase(
  config: AppConfig,
  log: (m: string) => void,
): Promise<RunningDatabase & { embedded: boolean }> {
  if (config.database.url) return { url: config.database.url, stop: () => Promise.resolve(), embedded: false };
  const db = await startEmbeddedPostgres({ dataDir: config.database.dataDir, log });
  return { ...db, embedded: true };
}

/** Boots the whole server: database, migrations, first-boot data, HTTP. */
export async function startServer(
  config: AppConfig,
  log: (m: string) => void = () => undefined,
): Promise<RunningServer> {
  const database = await openDatabase(config, log);
  const logger = createRootLogger(config.log.level);
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database.url), {
      logger: new NestPinoLogger(logger),
      bodyParser: false,
      forceCloseConnections: true,
    });
    configureApp(app, config, logger);
    await app.listen(config.server.port, config.server.host);
  } catch (error) {
    await database.stop();
    throw error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  let closing: Promise<void> | undefined;
  return {
    app,
    url: `http://${host}:${port}`,
    embedded: database.embedded,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await database.stop();
        logger.flush(); // lines still queued in the asynchronous destination
      })()),
  };
}
