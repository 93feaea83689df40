import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectError } from '@parley/testing';
import { EphemeralRoomsRepository } from '@parley/database';
import { RoomSweeper } from '../apps/api/src/rooms/room-sweeper.service';
import {
  ageRoom,
  idleSeconds,
  listenToRoom,
  PNG_1X1,
  restartableServer,
  roomFilesOnDisk,
  roomRowCounts,
  RoomsClient,
  withPg,
} from './support/rooms';
import { createTestApp, TestApp } from './support/test-app';

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(50);
  }
}

/** A room with one of everything: a webhook, a message, a file on disk. */
async function furnished(rooms: RoomsClient) {
  const room = await rooms.create();
  const hook = await rooms.hook(room.code, 'Bot');
  expect((await rooms.say(room.code, 'hello')).status).toBe(200);
  const file = await rooms.upload(room.code, { bytes: PNG_1X1, name: 'p.png' });
  expect(file.status).toBe(200);
  const id = (await rooms.api.get(`/rooms/${room.code}`)).body.id as number;
  return { ...room, hook, file: file.body.file_path as string, id };
}

/** ROOM_TTL_SECONDS of inactivity, and the sweeper that deletes expired rooms for real. */
describe('ephemeral room expiry (TTL 3600 s: the sweeper runs at boot, then once a minute)', () => {
  let app: TestApp;
  let rooms: RoomsClient;
  beforeAll(async () => {
    app = await createTestApp();
    rooms = new RoomsClient(app.api);
  });
  afterAll(() => app.close());

  const sweep = () => app.server.app.get(RoomSweeper).sweep();
  const roomDir = (id: number) => path.join(app.dataDir, 'rooms', String(id));

  it('answers 404 on reads and 410 on hooks as soon as a room expires, before the sweeper runs', async () => {
    const room = await furnished(rooms);
    await ageRoom(app.db.url, room.code, 3601);
    for (const path of ['', '/messages', '/webhooks']) {
      expectError(await app.api.get(`/rooms/${room.code}${path}`), 404, 'ROOM_NOT_FOUND');
    }
    expectError(await app.api.get(room.file), 404, 'ROOM_NOT_FOUND');
    expectError(await rooms.say(room.code, 'too late'), 404, 'ROOM_NOT_FOUND');
    expectError(await rooms.upload(room.code, { bytes: 'x', name: 'x.txt' }), 404, 'ROOM_NOT_FOUND');
    expectError(await app.api.post(`/rooms/${room.code}/rename`, { name: 'x' }), 404, 'ROOM_NOT_FOUND');
    expectError(await app.api.post(`/rooms/${room.code}/webhooks`, {}), 404, 'ROOM_NOT_FOUND');
    const destroy = { 'X-Admin-Token': room.admin_token };
    expectError(
      await app.api.post(`/rooms/${room.code}/commands`, { command: '/destroy' }, destroy),
      404,
      'ROOM_NOT_FOUND',
    );
    expectError(await rooms.postHook(room.hook, { content: 'too late' }), 410, 'ROOM_GONE');
    expectError(await app.api.post(`/hooks/in/${room.code}/not-its-token`, { content: 'x' }), 410, 'ROOM_GONE');
    // Nothing of that revived it, and its data is still there for the sweeper to delete.
    expect(await idleSeconds(app.db.url, room.code)).toBeGreaterThan(3600);
    expect(fs.existsSync(roomDir(room.id))).toBe(true);
  });

  it('sweeps: rooms, messages, webhooks and files go; a content-free tombstone stays; clients hear it', async () => {
    const room = await furnished(rooms);
    const kept = await furnished(rooms);
    await ageRoom(app.db.url, room.code, 3601);
    const listener = await listenToRoom(app, room.code);
    await sweep();
    const events = await listener.stop();
    expect(events).toEqual([{ type: 'destroyed', payload: { code: room.code } }]);
    const left = await withPg(app.db.url, async (pg) => ({
      rooms: (await pg.query('SELECT code FROM ephemeral_rooms WHERE id = $1', [room.id])).rows,
      messages: (await pg.query('SELECT id FROM ephemeral_messages WHERE room_id = $1', [room.id])).rows,
      webhooks: (await pg.query('SELECT id FROM ephemeral_webhooks WHERE room_id = $1', [room.id])).rows,
      stone: (
        await pg.query(
          `SELECT *, extract(epoch FROM now() - ended_at)::float8 AS ago FROM ephemeral_room_tombstones WHERE code_hash = $1`,
          [sha256(room.code)],
        )
      ).rows,
    }));
    expect(left).toMatchObject({ rooms: [], messages: [], webhooks: [] });
    expect(left.stone).toHaveLength(1);
    // The hash of the code, when it ended (last post + TTL), whether files remain: nothing else.
    expect(Object.keys(left.stone[0]).sort()).toEqual(['ago', 'code_hash', 'ended_at', 'files_room_id', 'id']);
    expect(left.stone[0].files_room_id).toBeNull();
    expect(Math.abs(left.stone[0].ago - 1)).toBeLessThan(30);
    expect(fs.existsSync(roomDir(room.id))).toBe(false);
    expectError(await rooms.postHook(room.hook, { content: 'x' }), 410, 'ROOM_GONE');
    expectError(await app.api.get(`/rooms/${room.code}`), 404, 'ROOM_NOT_FOUND');
    // The other room is untouched.
    expect((await rooms.messages(kept.code)).body).toHaveLength(2);
    expect(fs.existsSync(roomDir(kept.id))).toBe(true);
  });

  it('counts posts (messages, hooks, files) as activity; reads are not', async () => {
    const room = await rooms.create();
    const hook = await rooms.hook(room.code);
    const posts = [
      () => rooms.say(room.code, 'still here'),
      () => rooms.postHook(hook, { content: 'still here' }),
      () => rooms.upload(room.code, { bytes: 'still here', name: 'a.txt' }),
    ];
    for (const post of posts) {
      await ageRoom(app.db.url, room.code, 3500);
      for (const path of ['', '/messages', '/webhooks'])
        expect((await app.api.get(`/rooms/${room.code}${path}`)).status).toBe(200);
      await app.api.post(`/rooms/${room.code}/rename`, { name: 'renamed' });
      expect(await idleSeconds(app.db.url, room.code)).toBeGreaterThan(3499);
      expect((await post()).status).toBe(200);
      expect(await idleSeconds(app.db.url, room.code)).toBeLessThan(5);
    }
    await sweep();
    expect((await app.api.get(`/rooms/${room.code}`)).status).toBe(200);
  });

  it('is safe with several sweepers at once: each expired room is deleted and tombstoned exactly once', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) codes.push((await rooms.create()).code);
    for (const code of codes) await ageRoom(app.db.url, code, 4000);
    const repo = app.server.app.get(EphemeralRoomsRepository);
    // Concurrent statements on separate pool connections, as separate processes would run them.
    const batches = await Promise.all([1, 2, 3, 4].map(() => repo.sweepExpired(3600, 10)));
    const again = await Promise.all([1, 2, 3, 4].map(() => repo.sweepExpired(3600, 10)));
    const swept = [...batches, ...again].flat().map((r) => r.code);
    expect(swept.sort()).toEqual([...codes].sort());
    const stones = await withPg(app.db.url, (pg) =>
      pg.query('SELECT count(*)::int AS n FROM ephemeral_room_tombstones WHERE code_hash = ANY ($1)', [
        codes.map(sha256),
      ]),
    );
    expect(stones.rows[0].n).toBe(30);
  });

  it('finishes removing files left by a crash between the delete and the removal', async () => {
    const room = await furnished(rooms);
    // What RoomsService.end commits before it removes files — then the process dies.
    await withPg(app.db.url, (pg) =>
      pg.query(
        `WITH gone AS (DELETE FROM ephemeral_rooms WHERE id = $1 RETURNING id, code)
         INSERT INTO ephemeral_room_tombstones (code_hash, ended_at, files_room_id)
         SELECT sha256(convert_to(code, 'UTF8')), now(), id FROM gone`,
        [room.id],
      ),
    );
    expect(fs.existsSync(roomDir(room.id))).toBe(true);
    await sweep();
    expect(fs.existsSync(roomDir(room.id))).toBe(false);
    const pending = await withPg(app.db.url, (pg) =>
      pg.query('SELECT 1 FROM ephemeral_room_tombstones WHERE files_room_id IS NOT NULL'),
    );
    expect(pending.rows).toEqual([]);
  });

  it('keeps tombstones 7 days, then forgets the code (its hooks answer 401), and never reuses a tombstoned code', async () => {
    const room = await furnished(rooms);
    await app.api.delete(`/rooms/${room.code}`, undefined, { 'X-Admin-Token': room.admin_token });
    const repo = app.server.app.get(EphemeralRoomsRepository);
    const reuse = { code: room.code, name: null, adminTokenHash: sha256('x') };
    expect(await repo.create(reuse)).toBeUndefined();
    await withPg(app.db.url, (pg) =>
      pg.query(`UPDATE ephemeral_room_tombstones SET ended_at = now() - interval '6 days' WHERE code_hash = $1`, [
        sha256(room.code),
      ]),
    );
    await sweep();
    expectError(await rooms.postHook(room.hook, { content: 'x' }), 410, 'ROOM_GONE');
    await withPg(app.db.url, (pg) =>
      pg.query(
        `UPDATE ephemeral_room_tombstones SET ended_at = now() - interval '7 days 1 minute' WHERE code_hash = $1`,
        [sha256(room.code)],
      ),
    );
    await sweep();
    expectError(await rooms.postHook(room.hook, { content: 'x' }), 401, 'INVALID_WEBHOOK_TOKEN');
    expect(await repo.create(reuse)).toMatchObject({ code: room.code });
  });
});

describe('ephemeral room expiry with a short ROOM_TTL_SECONDS, on the real timer and across restarts', () => {
  it('deletes a room left silent past its TTL from the database and the disk', async () => {
    const app = await createTestApp({ ROOM_TTL_SECONDS: '1' });
    try {
      const rooms = new RoomsClient(app.api);
      const room = await furnished(rooms);
      const dir = path.join(app.dataDir, 'rooms', String(room.id));
      // Posting keeps it alive well past one TTL…
      for (let i = 0; i < 6; i++) {
        await sleep(300);
        expect((await rooms.say(room.code, `tick ${i}`)).status).toBe(200);
      }
      expect((await app.api.get(`/rooms/${room.code}`)).status).toBe(200);
      // …silence ends it: 404/410 within the TTL, gone from database and disk within a sweep (TTL/4).
      await until(async () => (await roomRowCounts(app.db.url)).ephemeral_rooms === 0, 5_000);
      expect(await roomRowCounts(app.db.url)).toEqual({
        ephemeral_rooms: 0,
        ephemeral_messages: 0,
        ephemeral_webhooks: 0,
        ephemeral_room_tombstones: 1,
      });
      await until(() => Promise.resolve(!fs.existsSync(dir)), 2_000);
      expect(roomFilesOnDisk(app.dataDir)).toEqual([]);
      expectError(await app.api.get(`/rooms/${room.code}`), 404, 'ROOM_NOT_FOUND');
      expectError(await app.api.get(`/rooms/${room.code}/messages`), 404, 'ROOM_NOT_FOUND');
      expectError(await rooms.postHook(room.hook, { content: 'x' }), 410, 'ROOM_GONE');
    } finally {
      await app.close();
    }
  });

  it('sweeps rooms that expired while no server was running, at the next boot', async () => {
    const env = await restartableServer();
    try {
      let { rooms } = await env.start();
      const room = await furnished(rooms);
      await env.stop();
      await ageRoom(env.db.url, room.code, 3601);
      const restarted = await env.start();
      rooms = restarted.rooms;
      await restarted.server.app.get(RoomSweeper).sweep(); // joins the boot sweep
      expect(await roomRowCounts(env.db.url)).toMatchObject({ ephemeral_rooms: 0, ephemeral_room_tombstones: 1 });
      expect(roomFilesOnDisk(env.dataDir)).toEqual([]);
      expectError(await rooms.postHook(room.hook, { content: 'x' }), 410, 'ROOM_GONE');
    } finally {
      await env.drop();
    }
  });
});
