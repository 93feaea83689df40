import * as fs from 'node:fs';
import { RunningDatabase } from '@parley/database';
import { runPrefix, TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV, withAdminClient } from '@parley/testing';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env[TEST_SERVER_URL_ENV];
  const template = process.env[TEST_TEMPLATE_ENV];
  if (serverUrl && template) {
    await withAdminClient(serverUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      // Per-file databases of this run's files that crashed before dropping their own (other runs
      // may be going on beside this one: their databases carry another prefix).
      const leftovers = await c.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
        [runPrefix(template)],
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
