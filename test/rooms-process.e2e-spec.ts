import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiClient, createTestDatabase, TestDatabase } from '@parley/testing';
import { RoomsClient, withPg } from './support/rooms';
import { ServerProcess, startServerProcess, waitForExit } from './support/server-process';
import { testDatabaseServer } from './support/test-app';

/** The built server as `npm start` runs it: what it logs, and what a 200 promises. */
describe('ephemeral rooms in the built server', () => {
  let db: TestDatabase;
  let dataDir: string;
  let server: ServerProcess | undefined;
  const start = async () =>
    (server = await startServerProcess({
      DATABASE_URL: db.url,
      PARLEY_DATA_DIR: dataDir,
      AUTH_MODES: 'dev',
      // Debug: even the quiet successful hook posts are logged.
      LOG_LEVEL: 'debug',
      DATABASE_POOL_SIZE: '3',
    }));
  const stop = async (signal: NodeJS.Signals) => {
    server?.child.kill(signal);
    if (server) await waitForExit(server.child);
  };

  beforeEach(async () => {
    const { serverUrl, template } = testDatabaseServer();
    db = await createTestDatabase(serverUrl, template);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-rooms-process-'));
  });
  afterEach(async () => {
    await stop('SIGKILL');
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('warns once that rooms are stored in plaintext, and never logs a token', async () => {
    const { baseUrl, output } = await start();
    const rooms = new RoomsClient(new ApiClient(baseUrl));
    const room = await rooms.create();
    const hook = await rooms.hook(room.code, 'Bot');
    const hookPath = new URL(hook.url).pathname;
    expect((await rooms.api.post(hookPath, { content: 'logged?' })).status).toBe(200);
    expect((await rooms.api.post(hookPath, {})).status).toBe(422);
    expect((await rooms.api.post(`${hookPath}x`, { content: 'x' })).status).toBe(401);
    const command = { command: '/destroy' };
    expect((await rooms.api.post(`/rooms/${room.code}/commands`, command, { 'X-Admin-Token': 'wrong' })).status).toBe(
      403,
    );
    expect(
      (await rooms.api.post(`/rooms/${room.code}/commands`, command, { 'X-Admin-Token': room.admin_token })).status,
    ).toBe(200);
    expect((await rooms.api.post(hookPath, { content: 'gone' })).status).toBe(410);

    const hookLines = () =>
      output()
        .split('\n')
        .filter((l) => l.includes('"req":') && l.includes('/hooks/in/'));
    const deadline = Date.now() + 5000;
    while (hookLines().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(hookLines()).toHaveLength(4);
    expect(hookLines().every((l) => l.includes(`/hooks/in/${room.code}/[REDACTED]`))).toBe(true);
    expect(output()).not.toContain(hook.token);
    expect(output()).not.toContain(room.admin_token);
    expect(output().split('PARLEY_ENC_KEY is not set')).toHaveLength(2);
  });

  it('keeps every message it answered 200 for across a kill -9', async () => {
    const first = await start();
    const rooms = new RoomsClient(new ApiClient(first.baseUrl));
    const room = await rooms.create();
    const hook = await rooms.hook(room.code);
    const acked: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        const i = next++;
        try {
          const res =
            i % 2 === 0
              ? await rooms.say(room.code, `durable ${i}`)
              : await rooms.postHook(hook, { content: `durable ${i}` });
          if (res.status === 200) acked.push(i % 2 === 0 ? res.body.id : res.body.message_id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const burst = Promise.all(Array.from({ length: 10 }, worker));
    await new Promise((r) => setTimeout(r, 150));
    await stop('SIGKILL');
    await burst;
    expect(acked.length).toBeGreaterThan(0);

    await start(); // boots and recovers like a real restart
    const stored = await withPg(db.url, (pg) => pg.query('SELECT id::int AS id FROM ephemeral_messages'));
    expect(stored.rows.map((r) => r.id as number)).toEqual(expect.arrayContaining(acked));
    expect(acked.length).toBeLessThan(1000); // the kill did land mid-burst
  });
});
