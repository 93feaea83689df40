import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiClient, createTestDatabase, Given, TestDatabase } from '@parley/testing';
import { ServerProcess, startServerProcess, waitForExit } from './support/server-process';
import { testDatabaseServer } from './support/test-app';

/**
 * A 200 answer means the message is committed: it must survive a SIGKILL of the server the
 * instant after, and the next start must succeed.
 */
async function ackedBurst(server: ServerProcess, count: number) {
  const given = new Given(new ApiClient(server.baseUrl));
  const admin = await given.admin();
  const channel = await given.channel(admin);
  const webhook = await given.webhook(admin, channel.id);
  const acked: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${server.baseUrl}/webhooks/${webhook.id}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${webhook.token}` },
        body: JSON.stringify({ content: `durable ${i}` }),
      });
      if (res.status === 200) acked.push(((await res.json()) as { message: { id: string } }).message.id);
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  return { channelId: channel.id, acked };
}

async function allMessageIds(baseUrl: string, channelId: string): Promise<Set<string>> {
  const admin = await new Given(new ApiClient(baseUrl)).admin();
  const ids = new Set<string>();
  let before: string | undefined;
  for (;;) {
    const res = await admin.api.get(`/channels/${channelId}/messages?limit=200${before ? `&before=${before}` : ''}`);
    expect(res.status).toBe(200);
    const page = res.body.messages as { id: string }[];
    page.forEach((m) => ids.add(m.id));
    if (page.length < 200) return ids;
    before = page[0].id;
  }
}

describe('durability across kill -9', () => {
  let db: TestDatabase;
  const dataDirs: string[] = [];
  const children: ServerProcess[] = [];
  const newDataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-durability-'));
    dataDirs.push(dir);
    return dir;
  };
  const start = async (env: Record<string, string | undefined>) => {
    const server = await startServerProcess(env);
    children.push(server);
    return server;
  };

  beforeAll(async () => {
    const { serverUrl, template } = testDatabaseServer();
    db = await createTestDatabase(serverUrl, template);
  });
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await db.drop();
    // An embedded cluster left behind by a failed test is stopped by removing its process group.
    for (const dir of dataDirs) {
      try {
        const pid = Number(fs.readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
        if (pid) process.kill(pid, 'SIGINT');
      } catch {
        // no cluster running
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    dataDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  it('keeps every acknowledged message on an external PostgreSQL', async () => {
    const env = { DATABASE_URL: db.url, PARLEY_DATA_DIR: newDataDir() };
    const first = await start(env);
    const { channelId, acked } = await ackedBurst(first, 200);
    first.child.kill('SIGKILL');
    await waitForExit(first.child);
    expect(acked).toHaveLength(200);

    const second = await start(env);
    const stored = await allMessageIds(second.baseUrl, channelId);
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    second.child.kill('SIGTERM');
    await waitForExit(second.child);
    expect(second.child.exitCode).toBe(0);
  });

  it('keeps every acknowledged message on the embedded PostgreSQL, and restarts after either kind of crash', async () => {
    const env = { DATABASE_URL: undefined, TEST_DATABASE_URL: undefined, PARLEY_DATA_DIR: newDataDir() };
    const first = await start(env);
    const burst = await ackedBurst(first, 150);
    expect(burst.acked).toHaveLength(150);
    // Only the Node process dies: the embedded PostgreSQL is orphaned and still running.
    first.child.kill('SIGKILL');
    await waitForExit(first.child);

    const second = await start(env);
    let stored = await allMessageIds(second.baseUrl, burst.channelId);
    expect(burst.acked.filter((id) => !stored.has(id))).toEqual([]);
    const more = await ackedBurst(second, 100);
    // The whole process group dies (as with kill -9 of `npm start`): a stale postmaster.pid remains.
    process.kill(-second.child.pid!, 'SIGKILL');
    await waitForExit(second.child);
    await new Promise((r) => setTimeout(r, 300));

    const third = await start(env);
    stored = await allMessageIds(third.baseUrl, more.channelId);
    expect(more.acked.filter((id) => !stored.has(id))).toEqual([]);
    stored = await allMessageIds(third.baseUrl, burst.channelId);
    expect(burst.acked.filter((id) => !stored.has(id))).toEqual([]);
    third.child.kill('SIGTERM');
    await waitForExit(third.child);
    expect(third.child.exitCode).toBe(0);
  });
});
