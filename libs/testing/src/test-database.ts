import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Env keys the global setup hands to the test workers. */
export const TEST_SERVER_URL_ENV = 'PARLEY_TEST_SERVER_URL';
export const TEST_TEMPLATE_ENV = 'PARLEY_TEST_TEMPLATE_DB';

/** The same server URL pointed at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withAdminClient<T>(serverUrl: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Per-file databases are named after their run's template, so a run's teardown drops its own
 * leftovers and never the databases of another run going on beside it.
 */
export const runPrefix = (template: string): string => `${template.replace(/^parley_tpl_/, 'parley_t_')}_`;

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file, copied from the migrated template the global setup made:
 * real PostgreSQL, schema from migrations, isolated from every other file.
 */
export async function createTestDatabase(serverUrl: string, template: string): Promise<TestDatabase> {
  const name = `${runPrefix(template)}${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    url: withDatabase(serverUrl, name),
    name,
    drop: () =>
      withAdminClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
