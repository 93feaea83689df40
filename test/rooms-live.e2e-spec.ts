import type { Socket } from 'socket.io-client';
import { RoomSockets } from './support/room-sockets';
import { createTestApp, TestApp } from './support/test-app';

/** Socket.IO namespace `/rooms` (PRODUCT.md §5), driven by a real socket.io-client. */
describe('rooms live (Socket.IO /rooms)', () => {
  let app: TestApp;
  const live = new RoomSockets(() => app.baseUrl);
  const connect = (auth: Record<string, unknown>) => live.connect(auth);
  const next = <T>(socket: Socket, event: string, timeoutMs?: number) => live.next<T>(socket, event, timeoutMs);

  const newRoom = async (): Promise<{ code: string; admin_token: string }> => (await app.api.post('/rooms')).body;

  beforeAll(async () => (app = await createTestApp()));
  afterEach(() => live.closeAll());
  afterAll(() => app.close());

  it('refuses an unknown code with room_not_found, and a missing name', async () => {
    await expect(connect({ code: 'ZZZZZZZ', name: 'ann' })).rejects.toThrow('room_not_found');
    const room = await newRoom();
    await expect(connect({ code: room.code })).rejects.toThrow('invalid_name');
  });

  it('tells everyone who is here, delivers webhook and HTTP posts live, and takes posts from the socket', async () => {
    const room = await newRoom();
    const ann = await connect({ code: room.code, name: 'Ann' });
    const annSeesBob = live.until<{ who: string[] }>(ann, 'presence', (p) => p.who.includes('Bob'));
    const bob = await connect({ code: room.code.toLowerCase(), name: 'Bob' });
    expect((await annSeesBob).who).toEqual(['Ann', 'Bob']);

    const hook = (await app.api.post(`/rooms/${room.code}/webhooks`, { label: 'Deploy Bot' })).body;
    const arriving = next<Record<string, unknown>>(bob, 'message');
    const posted = await fetch(hook.url.replace(/^https?:\/\/[^/]+/, app.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ content: '✅ Build #1423 passed' }),
    });
    expect(posted.status).toBe(200);
    const delivered = await arriving;
    const [stored] = (await app.api.get(`/rooms/${room.code}/messages`)).body;
    expect(delivered).toEqual(stored);
    expect(delivered).toMatchObject({ sender: 'Deploy Bot', content: '✅ Build #1423 passed' });

    const annHears = next<Record<string, unknown>>(ann, 'message');
    const answer = await bob.emitWithAck('message', { content: 'hello from a socket' });
    expect(answer).toMatchObject({ ok: true, message: { sender: 'Bob', content: 'hello from a socket' } });
    expect(await annHears).toMatchObject({ sender: 'Bob', content: 'hello from a socket' });
    expect(await bob.emitWithAck('message', { content: '' })).toHaveProperty('code');

    const annSeesLeave = live.until<{ who: string[] }>(ann, 'presence', (p) => !p.who.includes('Bob'));
    bob.disconnect();
    expect((await annSeesLeave).who).toEqual(['Ann']);
  });

  it('sends room_updated on rename, runs commands through the acknowledgement, and ends with destroyed', async () => {
    const room = await newRoom();
    const ann = await connect({ code: room.code, name: 'Ann' });
    const renamed = next<{ name: string }>(ann, 'room_updated');
    const form = await fetch(`${app.baseUrl}/rooms/${room.code}/rename`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=Launch+sync',
    });
    expect(form.status).toBe(200);
    expect(await renamed).toEqual({ name: 'Launch sync' });

    expect(await ann.emitWithAck('command', { command: '/destroy' })).toMatchObject({ code: 'ADMIN_TOKEN_INVALID' });
    expect(await ann.emitWithAck('command', { command: '/nope' })).toMatchObject({ code: 'UNKNOWN_COMMAND' });

    const admin = await connect({ code: room.code, name: 'Owner', adminToken: room.admin_token });
    const ended = next<{ code: string }>(ann, 'destroyed');
    const gone = next<string>(ann, 'disconnect');
    expect(await admin.emitWithAck('command', { command: '/destroy' })).toEqual({
      status: 'destroyed',
      command: 'destroy',
    });
    expect(await ended).toEqual({ code: room.code });
    await gone;
    await expect(connect({ code: room.code, name: 'Late' })).rejects.toThrow('room_not_found');
  });
});
