/** The PostgreSQL the test suite uses: `TEST_DATABASE_URL`, else `DATABASE_URL`, else embedded. */
export function testDatabaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.TEST_DATABASE_URL || env.DATABASE_URL;
  return url && url.trim() !== '' ? url.trim() : undefined;
}
