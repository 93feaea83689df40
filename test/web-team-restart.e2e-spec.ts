import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '@parley/common';
import { ApiClient, createTestDatabase, Given, TestDatabase } from '@parley/testing';
import { connected, describeInChromium, useChromium } from './support/chromium';
import { ServerProcess, startServerProcess, waitForExit } from './support/server-process';
import { ADMIN_PASSWORD, testDatabaseServer } from './support/test-app';

/**
 * The team page across a server crash: the built server is killed (-9) under an open page,
 * messages are posted meanwhile through another process on the same database, and when the
 * server is back on its address the page resumes its stream from the last event it saw
 * (`lastEventId`) and shows every message — none lost, none twice.
 */
describeInChromium(__filename, 'team web UI across a server restart', () => {
  let db: TestDatabase;
  let dataDir: string;
  let port: number;
  const servers: ServerProcess[] = [];
  const { newPage } = useChromium();

  const start = async (listenOn: number) => {
    const server = await startServerProcess({
      DATABASE_URL: db.url,
      PARLEY_DATA_DIR: dataDir,
      PORT: String(listenOn),
      AUTH_MODES: 'dev,password',
      INITIAL_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DATABASE_POOL_SIZE: '3',
    });
    servers.push(server);
    return server;
  };
  const kill = async (server: ServerProcess) => {
    server.child.kill('SIGKILL');
    await waitForExit(server.child);
  };

  beforeAll(async () => {
    const { serverUrl, template } = testDatabaseServer();
    db = await createTestDatabase(serverUrl, template);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-restart-'));
    port = await freePort();
  });
  afterAll(async () => {
    for (const server of servers) await kill(server);
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes after kill -9 and a restart, showing what was posted while it was down', async () => {
    const first = await start(port);
    const page = await newPage();
    await page.goto(`${first.baseUrl}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill('admin@example.com');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await connected(page);
    const admin = await new Given(new ApiClient(first.baseUrl)).admin();
    const general = (await admin.api.get('/channels')).body.channels[0] as { id: string; name: string };
    const log = page.getByRole('log', { name: general.name });
    await admin.api.post(`/channels/${general.id}/messages`, { content: 'before the crash' });
    await log.getByText('before the crash').waitFor();

    await kill(first);
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Reconnecting…' }).waitFor();

    // Another process on the same database takes posts while the page's server is down.
    const other = await start(await freePort());
    const meanwhile = new ApiClient(other.baseUrl, admin.token);
    for (const n of [1, 2, 3]) {
      expect((await meanwhile.post(`/channels/${general.id}/messages`, { content: `while down ${n}` })).status).toBe(
        200,
      );
    }

    await start(port); // back on the page's address
    await connected(page);
    for (const n of [1, 2, 3]) await log.getByText(`while down ${n}`).waitFor();
    expect(await log.getByText('before the crash').count()).toBe(1);
    expect(await log.getByText('while down 2').count()).toBe(1);
  });
});
