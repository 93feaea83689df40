import * as fs from 'node:fs';
import { RunningDatabase } from '@parley/database';
import { TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV, withAdminClient } from '@parley/testing';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env[TEST_SERVER_URL_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  if (serverUrl && template) {
    await withAdminClient(serverUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      // Per-file databases of files that crashed before dropping their own.
      const leftovers = await c.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'parley\\_t\\_%'",
      );
      for (const { datname } of leftovers.rows) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }).catch((error: unknown) => process.stderr.write(`test teardown could not drop databases: ${String(error)}\n`));
  }
  const embedded = (globalThis as Record<string, unknown>).__parleyEmbedded as
    (RunningDatabase & { dataDir: string }) | undefined;
  if (embedded) {
    await embedded.stop();
    fs.rmSync(embedded.dataDir, { recursive: true, force: true });
  }
}
