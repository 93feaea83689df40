import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { testDatabaseUrlFromEnv } from '@parley/config';
import { createDataSource, runMigrations, startEmbeddedPostgres } from '@parley/database';
import { TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV, withAdminClient, withDatabase } from '@parley/testing';

/**
 * Once per run: a real PostgreSQL (TEST_DATABASE_URL / DATABASE_URL, else an embedded one), a
 * template database with every migration applied (each test file copies it), and a fresh build
 * of the server for the tests that run it as a separate process.
 */
export default async function globalSetup(): Promise<void> {
  // As `npm start` builds it: jest's NODE_ENV=test would bundle React's development build.
  execFileSync('npm', ['run', 'build', '--silent'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });

  let serverUrl = testDatabaseUrlFromEnv();
  if (!serverUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-pg-'));
    const embedded = await startEmbeddedPostgres({ dataDir });
    (globalThis as Record<string, unknown>).__parleyEmbedded = { ...embedded, dataDir };
    serverUrl = embedded.url;
    process.stderr.write(`\ntests use an embedded PostgreSQL in ${dataDir}\n`);
  } else {
    process.stderr.write('\ntests use the PostgreSQL at TEST_DATABASE_URL/DATABASE_URL\n');
  }

  const template = `parley_tpl_${process.pid}`;
  await withAdminClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${template}`);
    await c.query(`CREATE DATABASE ${template}`);
  });
  const dataSource = createDataSource(withDatabase(serverUrl, template), { poolSize: 3 });
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();

  process.env[TEST_SERVER_URL_ENV] = serverUrl;
  process.env[TEST_TEMPLATE_ENV] = template;
}
