import { Client } from 'pg';
import { Manager } from 'socket.io-client';
import { RoomPresence } from '../apps/api/src/rooms/room-presence';
import { RoomSockets } from './support/room-sockets';
import { RoomsClient, withPg } from './support/rooms';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Rooms against what happens around them: clients that leave mid-handshake, a room destroyed while
 * a post or a join waits for it, presence rows the process lost track of. Each would leave a ghost
 * in `/who`, a deadlock or a 500 if the locking or the bookkeeping were wrong.
 */
describe('ephemeral rooms under races', () => {
  let app: TestApp;
  let rooms: RoomsClient;
  const live = new RoomSockets(() => app.baseUrl);

  beforeAll(async () => {
    app = await createTestApp();
    rooms = new RoomsClient(app.api);
  });
  afterEach(() => live.closeAll());
  afterAll(() => app.close());

  const who = async (code: string): Promise<string[]> =>
    (await app.api.post(`/rooms/${code}/commands`, { command: '/who' })).body.who as string[];
  const roomId = (code: string) =>
    withPg(app.db.url, async (pg) => {
      const row = await pg.query<{ id: string }>('SELECT id::text FROM ephemeral_rooms WHERE code = $1', [code]);
      return row.rows[0].id;
    });
  const presenceRows = (code: string) =>
    withPg(app.db.url, async (pg) =>
      Number(
        (
          await pg.query(
            `SELECT count(*) AS n FROM ephemeral_room_presence p JOIN ephemeral_rooms r ON r.id = p.room_id WHERE r.code = $1`,
            [code],
          )
        ).rows[0].n,
      ),
    );
  /**
   * A transaction of its own holding the room's row, as a destroy or a sweep does before its
   * cascade deletes the webhooks: `query` runs in it, `deleteAndCommit` ends the room.
   */
  const holdingRoom = async (code: string) => {
    const pg = new Client({ connectionString: app.db.url });
    await pg.connect();
    await pg.query('BEGIN');
    await pg.query('SELECT id FROM ephemeral_rooms WHERE code = $1 FOR UPDATE', [code]);
    return {
      query: (sql: string, params: unknown[]) => pg.query(sql, params),
      deleteAndCommit: async () => {
        await pg.query('DELETE FROM ephemeral_rooms WHERE code = $1', [code]);
        await pg.query('COMMIT');
        await pg.end();
      },
    };
  };
  const until = async (check: () => Promise<boolean>, ms = 5000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not reached');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('leaves no one behind when clients go away in the middle of the handshake', async () => {
    const room = await rooms.create();
    for (let i = 0; i < 5; i++) {
      // The raw engine: open, send the namespace CONNECT with the room, and drop the line at once.
      const manager = new Manager(app.baseUrl, { transports: ['websocket'], autoConnect: false, reconnection: false });
      await new Promise<void>((resolve, reject) => manager.open((error) => (error ? reject(error) : resolve())));
      manager.engine.write(`0/rooms,${JSON.stringify({ code: room.code, name: `Ghost ${i}` })}`);
      manager.engine.close();
    }
    const anna = await live.join({ code: room.code, name: 'Anna' });
    await until(async () => (await presenceRows(room.code)) === 1);
    expect(await who(room.code)).toEqual(['Anna']);
    anna.socket.disconnect();
    await until(async () => (await presenceRows(room.code)) === 0);
  });

  it('makes the presence rows exactly the sockets held, at the heartbeat', async () => {
    const room = await rooms.create();
    await live.join({ code: room.code, name: 'Anna' });
    const presence = app.server.app.get(RoomPresence);
    const id = await roomId(room.code);
    await withPg(app.db.url, async (pg) => {
      // A row whose leave failed, and the real socket's row taken by a sweep during a late heartbeat.
      await pg.query(
        `INSERT INTO ephemeral_room_presence (socket_id, room_id, process_id, session_hash, name)
         VALUES ('lost', $1, $2, $3, $4)`,
        [id, presence.processId, Buffer.alloc(32), Buffer.concat([Buffer.from([0]), Buffer.from('Ghost')])],
      );
      await pg.query(`DELETE FROM ephemeral_room_presence WHERE socket_id <> 'lost'`);
    });
    expect(await who(room.code)).toEqual(['Ghost']);
    await presence.beat();
    expect(await who(room.code)).toEqual(['Anna']);
  });

  it('lets a destroy win over a hook post waiting for the room, without a deadlock or a 500', async () => {
    const room = await rooms.create();
    const hook = await rooms.hook(room.code, 'CI');
    const destroy = await holdingRoom(room.code);
    const post = rooms.postHook(hook, { content: 'racing' });
    await new Promise((r) => setTimeout(r, 300)); // the post is now waiting for the room's lock
    // The post must not hold the webhook row, which the destroy's cascade deletes next.
    await destroy.query('SELECT 1 FROM ephemeral_webhooks WHERE id = $1 FOR UPDATE NOWAIT', [hook.id]);
    await destroy.deleteAndCommit();
    expect((await post).status).toBe(410);
  });

  it('answers a join or a slow-mode post racing the room’s end as a gone room, not an error', async () => {
    const room = await rooms.create();
    const admin = room.admin_token;
    expect(
      (await app.api.post(`/rooms/${room.code}/commands`, { command: '/slowmode 5' }, { 'X-Admin-Token': admin }))
        .status,
    ).toBe(200);
    const destroy = await holdingRoom(room.code);
    const joining = live.connect({ code: room.code, name: 'Late' }).then(
      () => 'connected',
      (error: Error) => error.message,
    );
    const posting = rooms.say(room.code, 'late post', 'Late');
    await new Promise((r) => setTimeout(r, 300));
    await destroy.deleteAndCommit();
    expect(await joining).toBe('room_not_found');
    expect((await posting).status).toBe(404);
  });
});
