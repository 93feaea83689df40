import { expectError } from '@parley/testing';
import type { Socket } from 'socket.io-client';
import { RoomSockets } from './support/room-sockets';
import { RoomsClient } from './support/rooms';
import { createTestApp, TestApp } from './support/test-app';

const APP_URL = 'https://rooms.example.test';
const NAMES = ['help', 'invite', 'who', 'me', 'code', 'rename', 'destroy', 'kick', 'ban', 'mute', 'slowmode'];

/** Every slash command of the seed's roadmap (PRODUCT.md §5), over HTTP and over the socket. */
describe('room slash commands', () => {
  let app: TestApp;
  const live = new RoomSockets(() => app.baseUrl);
  const connect = (auth: Record<string, unknown>) => live.connect(auth);
  const next = <T>(socket: Socket, event: string, timeoutMs?: number) => live.next<T>(socket, event, timeoutMs);
  const join = (auth: Record<string, unknown>) => live.join(auth);

  beforeAll(async () => (app = await createTestApp({ APP_URL })));
  afterEach(() => live.closeAll());
  afterAll(() => app.close());

  const newRoom = async (): Promise<{ code: string; admin_token: string }> => (await app.api.post('/rooms')).body;
  const command = (code: string, body: Record<string, unknown>, token?: string) =>
    app.api.post(`/rooms/${code}/commands`, body, token === undefined ? {} : { 'X-Admin-Token': token });
  const messages = async (code: string) =>
    (await app.api.get(`/rooms/${code}/messages`)).body as { sender: string; content: string }[];

  const run = (socket: Socket, line: string) => socket.emitWithAck('command', { command: line });

  describe('over HTTP', () => {
    it('/help lists every command with its usage and whether it needs the admin token', async () => {
      const room = await newRoom();
      const res = await command(room.code, { command: '/help' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.command).toBe('help');
      expect(res.body.commands.map((c: { name: string }) => c.name)).toEqual(NAMES);
      expect(res.body.commands).toContainEqual(
        expect.objectContaining({ name: 'rename', usage: '/rename <name>', admin: true }),
      );
      expect(res.body.commands).toContainEqual(expect.objectContaining({ name: 'who', usage: '/who', admin: false }));
    });

    it('/invite answers the page link and the code; /who the names present (none over HTTP alone)', async () => {
      const room = await newRoom();
      expect((await command(room.code.toLowerCase(), { command: '/invite' })).body).toEqual({
        status: 'ok',
        command: 'invite',
        url: `${APP_URL}/chat/${room.code}`,
        code: room.code,
      });
      expect((await command(room.code, { command: '/who' })).body).toEqual({ status: 'ok', command: 'who', who: [] });
      await connect({ code: room.code, name: 'Ann' });
      await connect({ code: room.code, name: 'Bob' });
      expect((await command(room.code, { command: 'who' })).body.who).toEqual(['Ann', 'Bob']);
    });

    it('/rename needs the admin token and a name of at most 50 characters', async () => {
      const room = await newRoom();
      expectError(await command(room.code, { command: '/rename Launch' }), 403, 'ADMIN_TOKEN_INVALID');
      const usage = await command(room.code, { command: '/rename' }, room.admin_token);
      expectError(usage, 400, 'COMMAND_USAGE');
      expect(usage.body.error).toContain('/rename <name>');
      expectError(
        await command(room.code, { command: `/rename ${'x'.repeat(51)}` }, room.admin_token),
        400,
        'VALIDATION_FAILED',
      );
      expect((await command(room.code, { command: '/rename  Launch sync ' }, room.admin_token)).body).toEqual({
        status: 'ok',
        command: 'rename',
        name: 'Launch sync',
      });
      expect((await app.api.get(`/rooms/${room.code}`)).body.name).toBe('Launch sync');
    });

    it('/me posts "* <sender> <action>" (sender from the body, default someone)', async () => {
      const room = await newRoom();
      const res = await command(room.code, { command: '/me waves' });
      expect(res.body).toMatchObject({
        status: 'ok',
        command: 'me',
        message: { sender: 'someone', content: '* someone waves' },
      });
      await command(room.code, { command: '/me ships v2', sender: 'CI' });
      expect(await messages(room.code)).toEqual([
        expect.objectContaining({ sender: 'someone', content: '* someone waves' }),
        expect.objectContaining({ sender: 'CI', content: '* CI ships v2' }),
      ]);
      expectError(await command(room.code, { command: '/me' }), 400, 'COMMAND_USAGE');
      expectError(await command(room.code, { command: '/me x', sender: 'a\nb' }), 400, 'VALIDATION_FAILED');
    });

    it('/code posts a fenced block: one line with a language, several lines, backticks inside', async () => {
      const room = await newRoom();
      const one = await command(room.code, { command: '/code js console.log(1)', sender: 'Ann' });
      expect(one.body).toMatchObject({
        status: 'ok',
        command: 'code',
        message: { sender: 'Ann', content: '```js\nconsole.log(1)\n```' },
      });
      const many = await command(room.code, { command: '/code python\nprint(1)\n  print(2)\n' });
      expect(many.body.message.content).toBe('```python\nprint(1)\n  print(2)\n```');
      const bare = await command(room.code, { command: '/code\nls -la' });
      expect(bare.body.message.content).toBe('```\nls -la\n```');
      const word = await command(room.code, { command: '/code make' });
      expect(word.body.message.content).toBe('```\nmake\n```');
      const ticks = await command(room.code, { command: '/code md\nuse ```fences```' });
      expect(ticks.body.message.content).toBe('````md\nuse ```fences```\n````');
      expectError(await command(room.code, { command: '/code' }), 400, 'COMMAND_USAGE');
      expectError(await command(room.code, { command: '/code  \n  ' }), 400, 'COMMAND_USAGE');
    });

    it('moderation needs the admin token, a target present in the room (404) and its arguments (400)', async () => {
      const room = await newRoom();
      for (const line of ['/kick @Ann', '/ban @Ann', '/mute @Ann', '/slowmode 5']) {
        expectError(await command(room.code, { command: line }), 403, 'ADMIN_TOKEN_INVALID');
      }
      for (const line of ['/kick @Nobody', '/ban Nobody', '/mute @Nobody 5m']) {
        expectError(await command(room.code, { command: line }, room.admin_token), 404, 'PARTICIPANT_NOT_FOUND');
      }
      for (const line of ['/kick', '/ban @', '/mute', '/slowmode', '/slowmode fast', '/slowmode 3601']) {
        expectError(await command(room.code, { command: line }, room.admin_token), 400, 'COMMAND_USAGE');
      }
    });

    it('/slowmode limits POST /rooms/:code/messages per IP with 429 SLOWMODE and Retry-After; 0 turns it off', async () => {
      const room = await newRoom();
      expect((await command(room.code, { command: '/slowmode 30' }, room.admin_token)).body).toEqual({
        status: 'ok',
        command: 'slowmode',
        slowmode: 30,
      });
      const post = (content: string) => app.api.post(`/rooms/${room.code}/messages`, { content });
      expect((await post('first')).status).toBe(200);
      const slowed = await post('second');
      expectError(slowed, 429, 'SLOWMODE');
      expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(25);
      expectError(await command(room.code, { command: '/me too fast' }), 429, 'SLOWMODE');
      await command(room.code, { command: '/slowmode 0' }, room.admin_token);
      expect((await post('third')).status).toBe(200);
      expect((await messages(room.code)).map((m) => m.content)).toEqual(['first', 'third']);
    });
  });

  describe('over the socket', () => {
    it('issues a session id, keeps it when presented again, and answers /who and /me as the caller', async () => {
      const room = await newRoom();
      const ann = await join({ code: room.code, name: 'Ann' });
      expect(ann.session).toMatch(/^[\w-]{43}$/);
      ann.socket.disconnect();
      const again = await join({ code: room.code, name: 'Ann', session: ann.session });
      expect(again.session).toBe(ann.session);
      const forged = await join({ code: room.code, name: 'Bob', session: 'short' });
      expect(forged.session).not.toBe('short');

      expect(await run(again.socket, '/who')).toEqual({ status: 'ok', command: 'who', who: ['Ann', 'Bob'] });
      const bobHears = next<{ sender: string; content: string }>(forged.socket, 'message');
      expect(await run(again.socket, '/me waves')).toMatchObject({
        status: 'ok',
        command: 'me',
        message: { sender: 'Ann', content: '* Ann waves' },
      });
      expect(await bobHears).toMatchObject({ sender: 'Ann', content: '* Ann waves' });
      expect(await run(again.socket, '/code sh\nnpm test')).toMatchObject({
        message: { sender: 'Ann', content: '```sh\nnpm test\n```' },
      });
      expect(await run(again.socket, '/kick @Bob')).toMatchObject({ code: 'ADMIN_TOKEN_INVALID' });
    });

    it('/kick disconnects every socket of that name; they may rejoin', async () => {
      const room = await newRoom();
      const admin = await connect({ code: room.code, name: 'Owner', adminToken: room.admin_token });
      const bob = await join({ code: room.code, name: 'Bob' });
      const kicked = next(bob.socket, 'kicked');
      const gone = next(bob.socket, 'disconnect');
      expect(await run(admin, '/kick @bob')).toEqual({ status: 'ok', command: 'kick', kicked: 'Bob' });
      await kicked;
      await gone;
      expect((await command(room.code, { command: '/who' })).body.who).toEqual(['Owner']);
      await connect({ code: room.code, name: 'Bob', session: bob.session });
      expect((await command(room.code, { command: '/who' })).body.who).toEqual(['Owner', 'Bob']);
    });

    it('/ban disconnects and refuses the session and the name for the room’s life', async () => {
      const room = await newRoom();
      const admin = await connect({ code: room.code, name: 'Owner', adminToken: room.admin_token });
      const bob = await join({ code: room.code, name: 'Bob' });
      const banned = next(bob.socket, 'banned');
      const gone = next(bob.socket, 'disconnect');
      expect(await command(room.code, { command: '/ban @Bob' }, room.admin_token)).toMatchObject({
        body: { status: 'ok', command: 'ban', banned: 'Bob' },
      });
      await banned;
      await gone;
      await expect(connect({ code: room.code, name: 'Bob' })).rejects.toThrow('banned');
      await expect(connect({ code: room.code, name: 'BOB ' })).rejects.toThrow('banned');
      await expect(connect({ code: room.code, name: 'Robert', session: bob.session })).rejects.toThrow('banned');
      // The documented limit: a new browser under a new name gets in.
      await connect({ code: room.code, name: 'Robert' });
      expect(await run(admin, '/who')).toMatchObject({ who: ['Owner', 'Robert'] });
    });

    it('/mute stops that session (and name) posting for the time, over the socket and HTTP', async () => {
      const room = await newRoom();
      const admin = await connect({ code: room.code, name: 'Owner', adminToken: room.admin_token });
      const bob = await join({ code: room.code, name: 'Bob' });
      const ann = await connect({ code: room.code, name: 'Ann' });
      expect(await run(admin, '/mute @Bob 2m')).toEqual({ status: 'ok', command: 'mute', muted: 'Bob', seconds: 120 });
      const refused = await bob.socket.emitWithAck('message', { content: 'hello?' });
      expect(refused).toMatchObject({ code: 'MUTED' });
      expect(refused.retry_after).toBeGreaterThan(100);
      expect(await run(bob.socket, '/me sulks')).toMatchObject({ code: 'MUTED' });
      const http = await app.api.post(`/rooms/${room.code}/messages`, { content: 'via http', sender: 'bob' });
      expectError(http, 403, 'MUTED');
      // The page sends files over HTTP under the visitor's name: a mute holds there too.
      expectError(
        await new RoomsClient(app.api).upload(room.code, { bytes: 'hi', name: 'a.txt' }, { sender: 'Bob' }),
        403,
        'MUTED',
      );
      expect(await ann.emitWithAck('message', { content: 'still here' })).toMatchObject({ ok: true });
      expect(await run(admin, '/mute @Ann')).toMatchObject({ muted: 'Ann', seconds: 600 });
      expect(await ann.emitWithAck('message', { content: 'and now?' })).toMatchObject({ code: 'MUTED' });
      expect((await messages(room.code)).map((m) => m.content)).toEqual(['still here']);
    });

    it('never silences or removes the admin, even when someone takes the admin’s name', async () => {
      const room = await newRoom();
      const admin = await connect({ code: room.code, name: 'Owner', adminToken: room.admin_token });
      const impostor = await connect({ code: room.code, name: 'owner' });
      expect(await run(admin, '/mute @Owner 5m')).toMatchObject({ muted: 'Owner' });
      expect(await impostor.emitWithAck('message', { content: 'me too' })).toMatchObject({ code: 'MUTED' });
      expect(await admin.emitWithAck('message', { content: 'still the admin' })).toMatchObject({ ok: true });
      const kicked = next(impostor, 'kicked');
      expect(await run(admin, '/kick @owner')).toMatchObject({ kicked: 'Owner' });
      await kicked;
      await new Promise((r) => setTimeout(r, 500)); // past the grace before a removed socket is let go
      expect(admin.connected).toBe(true);
      expect(await run(admin, '/who')).toMatchObject({ who: ['Owner'] });
    });

    it('/slowmode lets each session post once per period (the admin is exempt); 0 turns it off', async () => {
      const room = await newRoom();
      const admin = await connect({ code: room.code, name: 'Owner', adminToken: room.admin_token });
      const ann = await connect({ code: room.code, name: 'Ann' });
      const bob = await connect({ code: room.code, name: 'Bob' });
      expect(await run(admin, '/slowmode 60')).toEqual({ status: 'ok', command: 'slowmode', slowmode: 60 });
      expect(await ann.emitWithAck('message', { content: 'one' })).toMatchObject({ ok: true });
      const slowed = await ann.emitWithAck('message', { content: 'two' });
      expect(slowed).toMatchObject({ code: 'SLOWMODE' });
      expect(slowed.retry_after).toBeGreaterThan(55);
      expect(await bob.emitWithAck('message', { content: 'bob one' })).toMatchObject({ ok: true });
      expect(await admin.emitWithAck('message', { content: 'admin one' })).toMatchObject({ ok: true });
      expect(await admin.emitWithAck('message', { content: 'admin two' })).toMatchObject({ ok: true });
      await run(admin, '/slowmode 0');
      expect(await ann.emitWithAck('message', { content: 'three' })).toMatchObject({ ok: true });
    });
  });
});
