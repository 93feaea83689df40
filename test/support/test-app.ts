import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '@parley/config';
import {
  ApiClient,
  createTestDatabase,
  Given,
  TEST_SERVER_URL_ENV,
  TEST_TEMPLATE_ENV,
  TestDatabase,
} from '@parley/testing';
import { RunningServer, startServer } from '../../apps/api/src/server';

export const ADMIN_PASSWORD = 'initial-admin-password';

export interface TestApp {
  server: RunningServer;
  baseUrl: string;
  db: TestDatabase;
  dataDir: string;
  api: ApiClient;
  given: Given;
  close(): Promise<void>;
}

export function testDatabaseServer(): { serverUrl: string; template: string } {
  const serverUrl = process.env[TEST_SERVER_URL_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  if (!serverUrl || !template) throw new Error('the jest global setup did not run');
  return { serverUrl, template };
}

/**
 * Boots the real application (same `startServer` + `configureApp` as main.ts) on a free port,
 * against its own fresh database copied from the migrated template.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { serverUrl, template } = testDatabaseServer();
  const db = await createTestDatabase(serverUrl, template);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-data-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PARLEY_DATA_DIR: dataDir,
    AUTH_MODES: 'dev,password',
    INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
    DATABASE_POOL_SIZE: '5',
    ...env,
  });
  const server = await startServer(config);
  const api = new ApiClient(server.url);
  return {
    server,
    baseUrl: server.url,
    db,
    dataDir,
    api,
    given: new Given(api),
    close: async () => {
      await server.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
