import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expectError } from '@parley/testing';
import { RoomEvent } from '../apps/api/src/rooms/room-events.service';
import { listenToRoom, RoomsClient } from './support/rooms';
import { createTestApp, TestApp } from './support/test-app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const CODE = /^[A-HJKMNP-Z2-9]{7}$/;
const TOKEN = /^[\w-]{43}$/;
const APP_URL = 'https://rooms.example.test';
const run = promisify(execFile);

/** The ephemeral rooms API, as zwip-rooms-api.txt documents it (PRODUCT.md §5). */
describe('ephemeral rooms', () => {
  let app: TestApp;
  let rooms: RoomsClient;
  beforeAll(async () => {
    app = await createTestApp({ APP_URL });
    rooms = new RoomsClient(app.api);
  });
  afterAll(() => app.close());

  /** Everything the room's live subscribers hear while `fn` runs. */
  const heard = async (code: string, fn: () => Promise<unknown>): Promise<RoomEvent[]> => {
    const listener = await listenToRoom(app, code);
    try {
      await fn();
    } finally {
      await listener.stop();
    }
    return listener.events;
  };

  it('runs the seed’s three-request quick start verbatim (curl)', async () => {
    // Asynchronous: the server answers from this same process.
    const curl = async (...args: string[]) => JSON.parse((await run('curl', ['-s', ...args])).stdout);
    const base = app.baseUrl;
    // 1. Create a room -> returns its code
    const room = await curl('-X', 'POST', `${base}/rooms`);
    expect(room).toEqual({ code: expect.stringMatching(CODE), admin_token: expect.stringMatching(TOKEN) });
    // 2. Create an incoming webhook for that room -> returns a one-time token + URL
    const hook = await curl(
      '-X',
      'POST',
      `${base}/rooms/${room.code}/webhooks`,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"label": "Deploy Bot"}',
    );
    expect(hook).toEqual({
      id: expect.any(Number),
      room_code: room.code,
      label: 'Deploy Bot',
      token: expect.stringMatching(TOKEN),
      url: `${APP_URL}/hooks/in/${room.code}/${hook.token}`,
    });
    // 3. Post a message through the webhook URL (on the test server: APP_URL is only what links show)
    const hookUrl = `${base}${new URL(hook.url).pathname}`;
    const posted = await curl(
      '-X',
      'POST',
      hookUrl,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"content": "✅ Build #1423 passed"}',
    );
    expect(posted).toEqual({ ok: true, message_id: expect.any(Number) });
    expect(await curl(`${base}/rooms/${room.code}/messages`)).toEqual([
      {
        id: posted.message_id,
        room_code: room.code,
        sender: 'Deploy Bot',
        content: '✅ Build #1423 passed',
        file_path: null,
        file_type: null,
        created_at: expect.stringMatching(ISO),
      },
    ]);
    // The seed's other examples: rename with a form field, the alert through the hook, destroy.
    expect(await curl('-X', 'POST', `${base}/rooms/${room.code}/rename`, '-d', 'name=Launch sync')).toEqual({
      status: 'ok',
    });
    expect(
      await curl(
        '-X',
        'POST',
        hookUrl,
        '-H',
        'Content-Type: application/json',
        '-d',
        '{"sender": "Alertmanager", "content": "🔥 CPU > 90% on web-03"}',
      ),
    ).toEqual({ ok: true, message_id: posted.message_id + 1 });
    expect(await curl(`${base}/rooms/${room.code}/webhooks`)).toEqual([
      { id: hook.id, room_code: room.code, label: 'Deploy Bot', created_at: expect.stringMatching(ISO) },
    ]);
    expect(await curl('-X', 'DELETE', `${base}/rooms/${room.code}/webhooks/${hook.id}`)).toEqual({
      status: 'revoked',
    });
    expect(
      await curl(
        '-X',
        'POST',
        `${base}/rooms/${room.code}/commands`,
        '-H',
        'Content-Type: application/json',
        '-H',
        `X-Admin-Token: ${room.admin_token}`,
        '-d',
        '{"command": "/destroy"}',
      ),
    ).toEqual({ status: 'destroyed', command: 'destroy' });
  });

  describe('POST /rooms and GET /rooms/:code', () => {
    it('creates a room with a fresh code and a one-time admin token, and never lists rooms', async () => {
      const res = await app.api.request('POST', '/rooms');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ code: expect.stringMatching(CODE), admin_token: expect.stringMatching(TOKEN) });
      for (const h of ['x-rate-limit-total-per-hour', 'x-rate-limit-used', 'x-rate-limit-remaining']) {
        expect(res.headers.get(h)).toMatch(/^\d+$/);
      }
      const other = await rooms.create();
      expect(other.code).not.toBe(res.body.code);
      expect(other.admin_token).not.toBe(res.body.admin_token);
      expectError(await app.api.get('/rooms'), 404, 'NOT_FOUND');
    });

    it('returns the room’s metadata in the seed’s shape; lowercase codes work too', async () => {
      const { code } = await rooms.create();
      const res = await app.api.get(`/rooms/${code}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: expect.any(Number),
        code,
        name: null,
        created_at: expect.stringMatching(ISO),
        last_active: expect.stringMatching(ISO),
        is_active: 1,
      });
      expect(Math.abs(Date.parse(`${res.body.created_at}Z`) - Date.now())).toBeLessThan(60_000);
      expect((await app.api.get(`/rooms/${code.toLowerCase()}`)).body.code).toBe(code);
    });

    it('answers 404 for unknown and malformed codes', async () => {
      for (const code of ['ZZZZZZZ', 'X0O1IL2', 'short', 'WAYTOOLONGCODE', 'ABC%00DEF', '%E2%9C%85']) {
        expectError(await app.api.get(`/rooms/${code}`), 404, 'ROOM_NOT_FOUND');
      }
    });

    it('takes an optional name at creation (beyond the seed), with the rename rules', async () => {
      const res = await app.api.post('/rooms', { name: ' Deploy log ' });
      expect(res.status).toBe(200);
      expect((await app.api.get(`/rooms/${res.body.code}`)).body.name).toBe('Deploy log');
      expectError(await app.api.post('/rooms', { name: 'x'.repeat(51) }), 400, 'VALIDATION_FAILED');
      expectError(await app.api.post('/rooms', { nickname: 'x' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('POST /rooms/:code/rename', () => {
    it('renames from the form field or JSON, and tells live clients', async () => {
      const { code } = await rooms.create();
      const events = await heard(code, async () => {
        const form = await app.api.request('POST', `/rooms/${code}/rename`, 'name=Launch+sync', {
          'Content-Type': 'application/x-www-form-urlencoded',
        });
        expect(form.status).toBe(200);
        expect(form.body).toEqual({ status: 'ok' });
      });
      expect(events).toEqual([{ type: 'room_updated', payload: { name: 'Launch sync' } }]);
      expect((await app.api.get(`/rooms/${code}`)).body.name).toBe('Launch sync');
      expect((await app.api.post(`/rooms/${code}/rename`, { name: '🚀'.repeat(50) })).body).toEqual({ status: 'ok' });
      expect((await app.api.get(`/rooms/${code}`)).body.name).toBe('🚀'.repeat(50));
    });

    it('refuses names that are missing, empty, too long or not text, and changes nothing', async () => {
      const { code } = await rooms.create();
      await app.api.post(`/rooms/${code}/rename`, { name: 'Kept' });
      const form = (body: string) =>
        app.api.request('POST', `/rooms/${code}/rename`, body, { 'Content-Type': 'application/x-www-form-urlencoded' });
      expectError(await form(`name=${'x'.repeat(51)}`), 400, 'VALIDATION_FAILED');
      expectError(await form('name='), 400, 'VALIDATION_FAILED');
      expectError(await form('title=x'), 400, 'VALIDATION_FAILED');
      expectError(await form('name=a&name=b'), 400, 'VALIDATION_FAILED');
      expectError(await form('name=a%00b'), 400, 'VALIDATION_FAILED');
      expectError(await app.api.post(`/rooms/${code}/rename`, {}), 400, 'VALIDATION_FAILED');
      expectError(await app.api.post(`/rooms/${code}/rename`, { name: 7 }), 400, 'VALIDATION_FAILED');
      const text = await app.api.request('POST', `/rooms/${code}/rename`, 'name=x', { 'Content-Type': 'text/plain' });
      expectError(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect((await app.api.get(`/rooms/${code}`)).body.name).toBe('Kept');
      expectError(
        await form('name=x').then(() => app.api.post('/rooms/ZZZZZZZ/rename', { name: 'x' })),
        404,
        'ROOM_NOT_FOUND',
      );
    });
  });

  describe('POST /rooms/:code/commands and DELETE /rooms/:code', () => {
    const command = (code: string, body: unknown, token?: string) =>
      app.api.post(`/rooms/${code}/commands`, body, token === undefined ? {} : { 'X-Admin-Token': token });

    it('destroys with the admin token: the room, its messages and webhooks go; live clients hear it', async () => {
      const room = await rooms.create();
      const hook = await rooms.hook(room.code, 'Bot');
      await rooms.say(room.code, 'doomed');
      const events = await heard(room.code, async () => {
        const res = await command(room.code, { command: '/destroy' }, room.admin_token);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'destroyed', command: 'destroy' });
      });
      expect(events).toEqual([{ type: 'destroyed', payload: { code: room.code } }]);
      expectError(await app.api.get(`/rooms/${room.code}`), 404, 'ROOM_NOT_FOUND');
      expectError(await rooms.messages(room.code), 404, 'ROOM_NOT_FOUND');
      expectError(await rooms.postHook(hook, { content: 'late' }), 410, 'ROOM_GONE');
      expectError(await command(room.code, { command: '/destroy' }, room.admin_token), 404, 'ROOM_NOT_FOUND');
    });

    it('takes the slash as optional and /close as an alias', async () => {
      const a = await rooms.create();
      expect((await command(a.code, { command: 'destroy' }, a.admin_token)).body).toEqual({
        status: 'destroyed',
        command: 'destroy',
      });
      const b = await rooms.create();
      expect((await command(b.code, { command: '  /CLOSE ' }, b.admin_token)).body).toEqual({
        status: 'destroyed',
        command: 'destroy',
      });
    });

    it('answers 403 without or with a wrong admin token, 400 for an unknown command, 404 without a room', async () => {
      const room = await rooms.create();
      const other = await rooms.create();
      expectError(await command(room.code, { command: '/destroy' }), 403, 'ADMIN_TOKEN_INVALID');
      expectError(await command(room.code, { command: '/destroy' }, 'wrong'), 403, 'ADMIN_TOKEN_INVALID');
      expectError(await command(room.code, { command: '/destroy' }, other.admin_token), 403, 'ADMIN_TOKEN_INVALID');
      const unknown = await command(room.code, { command: '/dance now' }, room.admin_token);
      expectError(unknown, 400, 'UNKNOWN_COMMAND');
      expect(unknown.body.details).toEqual(expect.arrayContaining(['/help', '/destroy', '/close', '/slowmode']));
      expect(unknown.body.error).toContain('/destroy');
      expectError(await command(room.code, { command: '' }, room.admin_token), 400, 'VALIDATION_FAILED');
      expectError(await command(room.code, { command: '/' }, room.admin_token), 400, 'UNKNOWN_COMMAND');
      expectError(await command(room.code, {}, room.admin_token), 400, 'VALIDATION_FAILED');
      expectError(await command(room.code, { command: ['/destroy'] }, room.admin_token), 400, 'VALIDATION_FAILED');
      expectError(await command('ZZZZZZZ', { command: '/destroy' }, room.admin_token), 404, 'ROOM_NOT_FOUND');
      expect((await app.api.get(`/rooms/${room.code}`)).status).toBe(200);
    });

    it('DELETE /rooms/:code does the same with X-Admin-Token', async () => {
      const room = await rooms.create();
      expectError(await app.api.delete(`/rooms/${room.code}`), 403, 'ADMIN_TOKEN_INVALID');
      expectError(
        await app.api.delete(`/rooms/${room.code}`, undefined, { 'X-Admin-Token': 'nope' }),
        403,
        'ADMIN_TOKEN_INVALID',
      );
      const res = await app.api.delete(`/rooms/${room.code}`, undefined, { 'X-Admin-Token': room.admin_token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'destroyed' });
      expectError(
        await app.api.delete(`/rooms/${room.code}`, undefined, { 'X-Admin-Token': room.admin_token }),
        404,
        'ROOM_NOT_FOUND',
      );
    });
  });

  describe('messages', () => {
    it('posts without a token and reads back the 100 most recent, oldest first', async () => {
      const { code } = await rooms.create();
      const events = await heard(code, async () => {
        const res = await rooms.say(code, 'hello', 'Alice');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          id: expect.any(Number),
          room_code: code,
          sender: 'Alice',
          content: 'hello',
          file_path: null,
          file_type: null,
          created_at: expect.stringMatching(ISO),
        });
        expect(res.headers.get('x-rate-limit-remaining')).toMatch(/^\d+$/);
      });
      const [first] = (await rooms.messages(code)).body;
      expect(events).toEqual([{ type: 'message', payload: first }]);
      expect((await rooms.say(code, 'no name')).body.sender).toBe('anonymous');
      expect((await rooms.say(code, 'blank name', '   ')).body.sender).toBe('anonymous');
      for (let i = 0; i < 103; i++) expect((await rooms.say(code, `line ${i}`)).status).toBe(200);
      const list = (await rooms.messages(code)).body as Array<{ id: number; content: string }>;
      expect(list).toHaveLength(100);
      expect(list[0].content).toBe('line 3');
      expect(list[99].content).toBe('line 102');
      expect(list.map((m) => m.id)).toEqual([...list.map((m) => m.id)].sort((a, b) => a - b));
    });

    it('refuses bad messages with 400 (413 above 16,000 characters) and stores nothing', async () => {
      const { code } = await rooms.create();
      const bad: Array<[unknown, number, string]> = [
        [{}, 400, 'VALIDATION_FAILED'],
        [{ content: '' }, 400, 'VALIDATION_FAILED'],
        [{ content: '  \n ' }, 400, 'VALIDATION_FAILED'],
        [{ content: 42 }, 400, 'VALIDATION_FAILED'],
        [{ content: 'a\u0000b' }, 400, 'VALIDATION_FAILED'],
        [{ content: 'x'.repeat(16_001) }, 413, 'CONTENT_TOO_LONG'],
        [{ content: 'ok', sender: 'x'.repeat(101) }, 400, 'VALIDATION_FAILED'],
        [{ content: 'ok', sender: 'a\u0000b' }, 400, 'VALIDATION_FAILED'],
        [{ content: 'ok', sender: 'two\nlines' }, 400, 'VALIDATION_FAILED'],
        [{ content: 'ok', sender: 5 }, 400, 'VALIDATION_FAILED'],
        [{ content: 'ok', extra: true }, 400, 'VALIDATION_FAILED'],
        [[{ content: 'ok' }], 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, errorCode] of bad) {
        expectError(await app.api.post(`/rooms/${code}/messages`, body), status, errorCode);
      }
      expectError(await app.api.post(`/rooms/${code}/messages`, '{"content":'), 400, 'INVALID_JSON');
      expect((await rooms.messages(code)).body).toEqual([]);
      expect((await rooms.say(code, 'x'.repeat(16_000), 'y'.repeat(100))).status).toBe(200);
      expectError(await rooms.say('ZZZZZZZ', 'nobody home'), 404, 'ROOM_NOT_FOUND');
    });
  });

  describe('webhooks', () => {
    it('mints, lists (never the token) and revokes; the token stops working at once', async () => {
      const { code } = await rooms.create();
      const a = await rooms.hook(code, 'Deploy Bot');
      const b = await rooms.hook(code);
      expect(b).toEqual({
        id: expect.any(Number),
        room_code: code,
        label: null,
        token: expect.stringMatching(TOKEN),
        url: `${APP_URL}/hooks/in/${code}/${b.token}`,
      });
      const list = await app.api.get(`/rooms/${code}/webhooks`);
      expect(list.body).toEqual([
        { id: a.id, room_code: code, label: 'Deploy Bot', created_at: expect.stringMatching(ISO) },
        { id: b.id, room_code: code, label: null, created_at: expect.stringMatching(ISO) },
      ]);
      expect(list.text).not.toContain(a.token);
      const revoked = await app.api.delete(`/rooms/${code}/webhooks/${a.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ status: 'revoked' });
      expectError(await rooms.postHook(a, { content: 'after revoke' }), 401, 'INVALID_WEBHOOK_TOKEN');
      expect((await rooms.postHook(b, { content: 'b still works' })).status).toBe(200);
      expectError(await app.api.delete(`/rooms/${code}/webhooks/${a.id}`), 404, 'WEBHOOK_NOT_FOUND');
      for (const id of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
        expectError(await app.api.delete(`/rooms/${code}/webhooks/${id}`), 404, 'WEBHOOK_NOT_FOUND');
      }
      expect((await app.api.get(`/rooms/${code}/webhooks`)).body.map((w: { id: number }) => w.id)).toEqual([b.id]);
    });

    it('scopes webhooks to their room', async () => {
      const mine = await rooms.create();
      const theirs = await rooms.create();
      const theirHook = await rooms.hook(theirs.code, 'Theirs');
      expectError(await app.api.delete(`/rooms/${mine.code}/webhooks/${theirHook.id}`), 404, 'WEBHOOK_NOT_FOUND');
      expect((await app.api.get(`/rooms/${mine.code}/webhooks`)).body).toEqual([]);
      // Another room's token is 401 here, even though it is a valid token.
      const wrongRoom = await app.api.post(`/hooks/in/${mine.code}/${theirHook.token}`, { content: 'x' });
      expectError(wrongRoom, 401, 'INVALID_WEBHOOK_TOKEN');
      expect((await rooms.messages(mine.code)).body).toEqual([]);
      expect((await rooms.messages(theirs.code)).body).toEqual([]);
    });

    it('refuses labels that are too long or not text; 404 for an unknown room', async () => {
      const { code } = await rooms.create();
      expectError(await app.api.post(`/rooms/${code}/webhooks`, { label: 'x'.repeat(101) }), 400, 'VALIDATION_FAILED');
      expectError(await app.api.post(`/rooms/${code}/webhooks`, { label: 1 }), 400, 'VALIDATION_FAILED');
      expectError(await app.api.post(`/rooms/${code}/webhooks`, { name: 'x' }), 400, 'VALIDATION_FAILED');
      expect((await app.api.get(`/rooms/${code}/webhooks`)).body).toEqual([]);
      expectError(await app.api.post('/rooms/ZZZZZZZ/webhooks', { label: 'x' }), 404, 'ROOM_NOT_FOUND');
      expectError(await app.api.get('/rooms/ZZZZZZZ/webhooks'), 404, 'ROOM_NOT_FOUND');
      expectError(await app.api.delete('/rooms/ZZZZZZZ/webhooks/1'), 404, 'ROOM_NOT_FOUND');
    });
  });

  describe('POST /hooks/in/:code/:token', () => {
    it('posts as the label by default, as "webhook" without one, or as the body’s sender', async () => {
      const { code } = await rooms.create();
      const labelled = await rooms.hook(code, 'Deploy Bot');
      const bare = await rooms.hook(code);
      const events = await heard(code, async () => {
        const res = await rooms.postHook(labelled, { content: 'one' });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ok: true, message_id: expect.any(Number) });
        expect(res.headers.get('x-rate-limit-used')).toMatch(/^\d+$/);
      });
      await rooms.postHook(bare, { content: 'two' });
      await rooms.postHook(labelled, { content: 'three', sender: 'Alertmanager' });
      await rooms.postHook(bare, { content: 'four', sender: '  ' });
      const list = (await rooms.messages(code)).body;
      expect(list.map((m: { sender: string }) => m.sender)).toEqual([
        'Deploy Bot',
        'webhook',
        'Alertmanager',
        'webhook',
      ]);
      expect(events).toEqual([{ type: 'message', payload: list[0] }]);
    });

    it('reads JSON whatever the Content-Type, ignores unknown fields, accepts a lowercase code', async () => {
      const { code } = await rooms.create();
      const hook = await rooms.hook(code);
      const path = `/hooks/in/${code.toLowerCase()}/${hook.token}`;
      const plain = await app.api.request('POST', path, '{"content":"as text/plain","level":"info"}', {
        'Content-Type': 'text/plain',
      });
      expect(plain.status).toBe(200);
      const none = await fetch(`${app.baseUrl}${path}`, { method: 'POST', body: '{"content":"no type"}' });
      expect(none.status).toBe(200);
      expect((await rooms.messages(code)).body.map((m: { content: string }) => m.content)).toEqual([
        'as text/plain',
        'no type',
      ]);
    });

    it('answers 401 for an unknown, revoked or malformed token or code; 422 without content; 413 too long', async () => {
      const { code } = await rooms.create();
      const hook = await rooms.hook(code);
      expectError(await app.api.post(`/hooks/in/${code}/not-a-token`, { content: 'x' }), 401, 'INVALID_WEBHOOK_TOKEN');
      expectError(
        await app.api.post(`/hooks/in/ZZZZZZZ/${hook.token}`, { content: 'x' }),
        401,
        'INVALID_WEBHOOK_TOKEN',
      );
      expectError(await app.api.post(`/hooks/in/bad!/${hook.token}`, { content: 'x' }), 401, 'INVALID_WEBHOOK_TOKEN');
      // The token is checked before the body: a stranger learns nothing about what the body needs.
      expectError(await app.api.post(`/hooks/in/${code}/not-a-token`, {}), 401, 'INVALID_WEBHOOK_TOKEN');
      const cases: Array<[unknown, number, string]> = [
        [{}, 422, 'CONTENT_REQUIRED'],
        [{ text: 'slack style' }, 422, 'CONTENT_REQUIRED'],
        [{ content: '' }, 422, 'INVALID_CONTENT'],
        [{ content: '   ' }, 422, 'INVALID_CONTENT'],
        [{ content: null }, 422, 'INVALID_CONTENT'],
        [{ content: 12 }, 422, 'INVALID_CONTENT'],
        [{ content: 'a\u0000b' }, 422, 'INVALID_CONTENT'],
        [{ content: 'ok', sender: 'x'.repeat(101) }, 422, 'INVALID_CONTENT'],
        [{ content: 'ok', sender: ['x'] }, 422, 'INVALID_CONTENT'],
        [['content'], 422, 'CONTENT_REQUIRED'],
        [{ content: 'x'.repeat(16_001) }, 413, 'CONTENT_TOO_LONG'],
      ];
      for (const [body, status, errorCode] of cases) expectError(await rooms.postHook(hook, body), status, errorCode);
      // Not a JSON object or array: the JSON parser refuses it, like a truncated body.
      expectError(await rooms.postHook(hook, '"just a string"'), 400, 'INVALID_JSON');
      expectError(await rooms.postHook(hook, '{"content": '), 400, 'INVALID_JSON');
      expect((await rooms.messages(code)).body).toEqual([]);
    });

    it('answers 410 once the room is destroyed, whatever the token', async () => {
      const room = await rooms.create();
      const hook = await rooms.hook(room.code);
      await app.api.delete(`/rooms/${room.code}`, undefined, { 'X-Admin-Token': room.admin_token });
      expectError(await rooms.postHook(hook, { content: 'x' }), 410, 'ROOM_GONE');
      expectError(await app.api.post(`/hooks/in/${room.code}/whatever`, { content: 'x' }), 410, 'ROOM_GONE');
      expectError(await app.api.post(`/hooks/in/${room.code}/whatever`, {}), 410, 'ROOM_GONE');
    });
  });
});
