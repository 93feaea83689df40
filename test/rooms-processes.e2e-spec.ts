import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiClient, createTestDatabase, TestDatabase } from '@parley/testing';
import { RoomSockets } from './support/room-sockets';
import { RoomsClient, withPg } from './support/rooms';
import { ServerProcess, startServerProcess, waitForExit } from './support/server-process';
import { testDatabaseServer } from './support/test-app';

// Another process hears of a change on its next poll of the event log (about a second).
const ACROSS_MS = 5000;

/**
 * Two built servers on one database, as a deployment with several processes runs them: live
 * events, presence and moderation reach the sockets of the other process.
 */
describe('ephemeral rooms across two server processes', () => {
  let db: TestDatabase;
  let dataDir: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let sockets: { a: RoomSockets; b: RoomSockets };
  let viaA: RoomsClient;
  let viaB: RoomsClient;

  const start = () => startServerProcess({ DATABASE_URL: db.url, PARLEY_DATA_DIR: dataDir, DATABASE_POOL_SIZE: '3' });

  beforeAll(async () => {
    const { serverUrl, template } = testDatabaseServer();
    db = await createTestDatabase(serverUrl, template);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-rooms-processes-'));
    [a, b] = await Promise.all([start(), start()]);
    sockets = { a: new RoomSockets(() => a.baseUrl), b: new RoomSockets(() => b.baseUrl) };
    viaA = new RoomsClient(new ApiClient(a.baseUrl));
    viaB = new RoomsClient(new ApiClient(b.baseUrl));
  });
  afterEach(() => {
    sockets.a.closeAll();
    sockets.b.closeAll();
  });
  afterAll(async () => {
    for (const server of [a, b]) {
      server?.child.kill('SIGKILL');
      if (server) await waitForExit(server.child);
    }
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const command = (client: RoomsClient, code: string, text: string, adminToken?: string) =>
    client.api.post(`/rooms/${code}/commands`, { command: text }, adminToken ? { 'X-Admin-Token': adminToken } : {});

  it('delivers posts, renames, presence and the end to sockets of the other process', async () => {
    const room = await viaA.create();
    const ann = await sockets.b.join({ code: room.code, name: 'Ann' });
    const annSeesBob = sockets.b.until<{ who: string[] }>(
      ann.socket,
      'presence',
      (p) => p.who.includes('Bob'),
      ACROSS_MS,
    );
    const bob = await sockets.a.join({ code: room.code, name: 'Bob' });
    expect((await annSeesBob).who).toEqual(['Ann', 'Bob']);
    expect((await command(viaA, room.code, '/who')).body.who).toEqual(['Ann', 'Bob']);

    const hook = await viaA.hook(room.code, 'CI');
    const arriving = sockets.b.next<Record<string, unknown>>(ann.socket, 'message', ACROSS_MS);
    expect((await viaA.postHook(hook, { content: 'deployed' })).status).toBe(200);
    expect(await arriving).toMatchObject({ sender: 'CI', content: 'deployed', room_code: room.code });

    const bobHears = sockets.a.next<Record<string, unknown>>(bob.socket, 'message', ACROSS_MS);
    expect(await ann.socket.emitWithAck('message', { content: 'hi from B' })).toMatchObject({ ok: true });
    expect(await bobHears).toMatchObject({ sender: 'Ann', content: 'hi from B' });

    const renamed = sockets.b.next<{ name: string }>(ann.socket, 'room_updated', ACROSS_MS);
    const form = new URLSearchParams({ name: 'Release' });
    expect((await fetch(`${a.baseUrl}/rooms/${room.code}/rename`, { method: 'POST', body: form })).status).toBe(200);
    expect(await renamed).toEqual({ name: 'Release' });

    const annSeesLeave = sockets.b.until<{ who: string[] }>(
      ann.socket,
      'presence',
      (p) => !p.who.includes('Bob'),
      ACROSS_MS,
    );
    bob.socket.disconnect();
    expect((await annSeesLeave).who).toEqual(['Ann']);

    const ended = sockets.b.next<{ code: string }>(ann.socket, 'destroyed', ACROSS_MS);
    const gone = sockets.b.next(ann.socket, 'disconnect', ACROSS_MS);
    expect((await command(viaA, room.code, '/destroy', room.admin_token)).status).toBe(200);
    expect(await ended).toEqual({ code: room.code });
    await gone;
  });

  it('enforces kicks, bans, mutes and slow mode given in one process on the other', async () => {
    const room = await viaA.create();
    const ann = await sockets.b.join({ code: room.code, name: 'Ann' });
    const bob = await sockets.a.join({ code: room.code, name: 'Bob' });

    // A mute given to A holds on B, for the socket and for HTTP posts under that name.
    expect((await command(viaA, room.code, '/mute @ann 5m', room.admin_token)).body).toMatchObject({ muted: 'Ann' });
    expect(await ann.socket.emitWithAck('message', { content: 'muted?' })).toMatchObject({ code: 'MUTED' });
    expect((await viaB.say(room.code, 'still muted?', 'ANN')).status).toBe(403);

    // Slow mode set through B counts this client's HTTP posts in both processes together.
    expect((await command(viaB, room.code, '/slowmode 60', room.admin_token)).status).toBe(200);
    expect((await viaA.say(room.code, 'first', 'Zed')).status).toBe(200);
    const second = await viaB.say(room.code, 'second', 'Zed');
    expect(second.status).toBe(429);
    expect(second.body.code).toBe('SLOWMODE');

    // A kick sent to B reaches Bob's socket on A.
    const kicked = sockets.a.next(bob.socket, 'kicked', ACROSS_MS);
    const bobGone = sockets.a.next(bob.socket, 'disconnect', ACROSS_MS);
    expect((await command(viaB, room.code, '/kick @Bob', room.admin_token)).body).toMatchObject({ kicked: 'Bob' });
    await kicked;
    await bobGone;

    // A ban sent to A reaches Ann's socket on B; B then refuses her session, and so does A.
    const banned = sockets.b.next(ann.socket, 'banned', ACROSS_MS);
    const annGone = sockets.b.next(ann.socket, 'disconnect', ACROSS_MS);
    expect((await command(viaA, room.code, '/ban @Ann', room.admin_token)).body).toMatchObject({ banned: 'Ann' });
    await banned;
    await annGone;
    await expect(sockets.b.join({ code: room.code, name: 'Someone', session: ann.session })).rejects.toThrow('banned');
    await expect(sockets.a.join({ code: room.code, name: 'ann' })).rejects.toThrow('banned');
    expect((await command(viaA, room.code, '/who')).body.who).toEqual([]);
  });

  it('stops counting the sockets of a process that died, and a new process keeps the bans', async () => {
    const room = await viaA.create();
    await sockets.b.join({ code: room.code, name: 'Carol' });
    await sockets.a.join({ code: room.code, name: 'Dave' });
    expect((await command(viaA, room.code, '/who')).body.who).toEqual(['Carol', 'Dave']);
    expect((await command(viaA, room.code, '/ban @dave', room.admin_token)).status).toBe(200);

    b.child.kill('SIGKILL');
    await waitForExit(b.child);
    // B's heartbeat stops: once its rows (Carol's; Dave left when banned) are older than the
    // staleness limit they no longer count.
    await withPg(db.url, (pg) => pg.query(`UPDATE ephemeral_room_presence SET seen_at = now() - interval '1 minute'`));
    expect((await command(viaA, room.code, '/who')).body.who).toEqual([]);

    b = await start();
    await expect(sockets.b.join({ code: room.code, name: 'Dave' })).rejects.toThrow('banned');
  });
});
