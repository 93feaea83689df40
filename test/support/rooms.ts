import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '@parley/config';
import { ApiClient, createTestDatabase } from '@parley/testing';
import { RoomEvent, RoomEvents } from '../../apps/api/src/rooms/room-events.service';
import { RunningServer, startServer } from '../../apps/api/src/server';
import { testDatabaseServer } from './test-app';

export interface CreatedRoom {
  code: string;
  admin_token: string;
}

export interface MintedHook {
  id: number;
  room_code: string;
  label: string | null;
  token: string;
  url: string;
}

/** A client of the ephemeral rooms API, over the same fetch helper as the team API tests. */
export class RoomsClient {
  constructor(readonly api: ApiClient) {}

  async create(): Promise<CreatedRoom> {
    const res = await this.api.request('POST', '/rooms');
    if (res.status !== 200) throw new Error(`POST /rooms: ${res.status} ${res.text}`);
    return res.body as CreatedRoom;
  }

  async hook(code: string, label?: string): Promise<MintedHook> {
    const res =
      label === undefined
        ? await this.api.request('POST', `/rooms/${code}/webhooks`)
        : await this.api.post(`/rooms/${code}/webhooks`, { label });
    if (res.status !== 200) throw new Error(`POST /rooms/${code}/webhooks: ${res.status} ${res.text}`);
    return res.body as MintedHook;
  }

  /** Posts through a hook, by its path (the URL names APP_URL, which in tests is not where the server listens). */
  postHook(hook: Pick<MintedHook, 'url'>, body: unknown, headers?: Record<string, string>) {
    return this.api.post(new URL(hook.url).pathname, body, headers);
  }

  say(code: string, content: string, sender?: string) {
    return this.api.post(`/rooms/${code}/messages`, sender === undefined ? { content } : { content, sender });
  }

  messages(code: string) {
    return this.api.get(`/rooms/${code}/messages`);
  }

  /** A real multipart upload (fetch + FormData), as a browser or the CLI sends it. */
  async upload(
    code: string,
    file: { bytes: Buffer | string; name: string; type?: string } | undefined,
    fields: Record<string, string> = {},
  ) {
    const form = new FormData();
    if (file) form.append('file', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const res = await fetch(`${this.api.baseUrl}/rooms/${code}/files`, { method: 'POST', body: form });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body, text, headers: res.headers };
  }

  async download(path: string) {
    const res = await fetch(`${this.api.baseUrl}${path}`);
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }
}

/** Runs SQL against a test app's database. */
export async function withPg<T>(url: string, fn: (pg: Client) => Promise<T>): Promise<T> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    return await fn(pg);
  } finally {
    await pg.end();
  }
}

/** Rows of the ephemeral-room tables, by table. */
export async function roomRowCounts(url: string): Promise<Record<string, number>> {
  return withPg(url, async (pg) => {
    const counts: Record<string, number> = {};
    for (const table of ['ephemeral_rooms', 'ephemeral_messages', 'ephemeral_webhooks', 'ephemeral_room_tombstones']) {
      counts[table] = Number((await pg.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    }
    return counts;
  });
}

/** Makes a room look idle for `seconds` (as if its last post were that long ago). */
export async function ageRoom(url: string, code: string, seconds: number): Promise<void> {
  await withPg(url, (pg) =>
    pg.query(`UPDATE ephemeral_rooms SET last_active = now() - make_interval(secs => $2) WHERE code = $1`, [
      code,
      seconds,
    ]),
  );
}

export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Seconds since the room's last post, from the database clock. */
export async function idleSeconds(url: string, code: string): Promise<number> {
  return withPg(url, async (pg) => {
    const res = await pg.query(
      'SELECT extract(epoch FROM now() - last_active)::float8 AS s FROM ephemeral_rooms WHERE code = $1',
      [code],
    );
    return res.rows[0].s as number;
  });
}

/** Every file under a data directory's rooms/ store, relative to it. */
export function roomFilesOnDisk(dataDir: string): string[] {
  const root = path.join(dataDir, 'rooms');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((p) => fs.statSync(path.join(root, p)).isFile());
}

/**
 * A server on a database and data directory that outlive it, for restarts: `start()` boots the
 * real server (as main.ts does) with the same environment each time; `drop()` removes both.
 */
export async function restartableServer(env: Record<string, string> = {}) {
  const { serverUrl, template } = testDatabaseServer();
  const db = await createTestDatabase(serverUrl, template);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-data-'));
  let running: RunningServer | undefined;
  return {
    db,
    dataDir,
    async start(extra: Record<string, string> = {}) {
      running = await startServer(
        loadConfig({
          DATABASE_URL: db.url,
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          PARLEY_DATA_DIR: dataDir,
          AUTH_MODES: 'dev',
          DATABASE_POOL_SIZE: '3',
          ...env,
          ...extra,
        }),
      );
      return { server: running, rooms: new RoomsClient(new ApiClient(running.url)) };
    },
    async stop() {
      await running?.close();
      running = undefined;
    },
    async drop() {
      await running?.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Listens to a room's live events inside a running server, as the gateway does. Delivery runs
 * through the event log, so `stop()` first waits until everything logged so far has been heard.
 */
export async function listenToRoom(
  app: { server: RunningServer; db: { url: string } },
  code: string,
): Promise<{ events: RoomEvent[]; stop: () => Promise<RoomEvent[]> }> {
  const room = await withPg(app.db.url, async (pg) => {
    const found = await pg.query<{ id: string }>('SELECT id::text FROM ephemeral_rooms WHERE code = $1', [code]);
    return { id: found.rows[0].id, code };
  });
  const roomEvents = app.server.app.get(RoomEvents);
  const events: RoomEvent[] = [];
  const unsubscribe = roomEvents.subscribe(room, (e) => events.push(e));
  return {
    events,
    stop: async () => {
      const head = await withPg(app.db.url, async (pg) => {
        const row = await pg.query<{ head: string | null }>(
          `SELECT pg_sequence_last_value('events_position_seq')::text AS head`,
        );
        return Number(row.rows[0].head ?? 0);
      });
      await roomEvents.deliveredThrough(head);
      unsubscribe();
      return events;
    },
  };
}
