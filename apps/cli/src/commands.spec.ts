import { run } from './cli';
import type { Context } from './command';
import type { LiveSocket } from './live-socket';

/** A fake HTTP server: `METHOD /path` → [status, body]; every request is recorded. */
function fakeServer(routes: Record<string, [number, unknown] | (() => [number, unknown])>) {
  const requests: { method: string; url: string; headers: Record<string, string>; body: unknown }[] = [];
  const fetch = (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    requests.push({ method, url, headers: (init.headers ?? {}) as Record<string, string>, body: init.body });
    const route = routes[`${method} ${new URL(url).pathname}`];
    if (!route) return Promise.resolve(new Response('{"error":"Not Found"}', { status: 404, statusText: 'Not Found' }));
    const [status, body] = typeof route === 'function' ? route() : route;
    return Promise.resolve(new Response(JSON.stringify(body), { status, statusText: status === 200 ? 'OK' : 'Nope' }));
  };
  return { fetch, requests };
}

async function cli(argv: string[], server: ReturnType<typeof fakeServer>, overrides: Partial<Context> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await run(argv, {
    out: { stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) },
    env: { PARLEY_BASE: 'http://parley.test' },
    fetch: server.fetch,
    overrides,
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const ROOM = { code: 'X7K9M2P', admin_token: 'admin-secret' };
const MESSAGE = {
  id: 42,
  room_code: 'X7K9M2P',
  sender: 'Deploy Bot',
  content: '✅ Build passed',
  file_path: null,
  file_type: null,
  created_at: '2026-06-30T18:31:10',
};

describe('create-room', () => {
  it('prints code, chat URL and the admin token with its shown-once note', async () => {
    const server = fakeServer({ 'POST /rooms': [200, ROOM] });
    const { code, stdout } = await cli(['create-room'], server);
    expect(code).toBe(0);
    expect(stdout).toContain('Room:        X7K9M2P');
    expect(stdout).toContain('Chat:        http://parley.test/chat/X7K9M2P');
    expect(stdout).toContain('Admin token: admin-secret');
    expect(stdout).toMatch(/shown only once/);
    expect(server.requests).toHaveLength(1);
  });

  it('names the room through the form-field rename', async () => {
    const server = fakeServer({ 'POST /rooms': [200, ROOM], 'POST /rooms/X7K9M2P/rename': [200, { status: 'ok' }] });
    const { code, stdout } = await cli(['create-room', '--name', 'Deploy log', '--json'], server);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ ...ROOM, name: 'Deploy log', chat_url: 'http://parley.test/chat/X7K9M2P' });
    expect(String(server.requests[1].body)).toBe('name=Deploy+log');
  });

  it('still shows the admin token when the rename fails, then exits 1', async () => {
    const server = fakeServer({
      'POST /rooms': [200, ROOM],
      'POST /rooms/X7K9M2P/rename': [422, { error: 'too long' }],
    });
    const { code, stdout, stderr } = await cli(['create-room', '--name', 'x'.repeat(60)], server);
    expect(code).toBe(1);
    expect(stdout).toContain('admin-secret');
    expect(stdout).not.toContain('Name:');
    expect(stderr).toContain('could not be named: server answered 422 Nope: too long');
  });
});

describe('send', () => {
  it('posts {content, sender} to the room and names the message', async () => {
    const server = fakeServer({ 'POST /rooms/X7K9M2P/messages': [201, MESSAGE] });
    const { code, stdout } = await cli(['send', '--room', 'x7k9m2p', '--content', 'hi', '--sender', 'CI'], server);
    expect(code).toBe(0);
    expect(stdout).toBe('Sent message to X7K9M2P (message 42).');
    expect(JSON.parse(server.requests[0].body as string)).toEqual({ content: 'hi', sender: 'CI' });
  });

  it('uploads --file as multipart field "file" with its name', async () => {
    const server = fakeServer({ 'POST /rooms/X7K9M2P/files': [201, { ...MESSAGE, id: 43 }] });
    const { code, stdout } = await cli(['send', '--room', 'X7K9M2P', '--file', '/tmp/dir/build.log'], server, {
      readFile: () => Promise.resolve(Buffer.from('log line')),
    });
    expect(code).toBe(0);
    expect(stdout).toBe('Sent file build.log to X7K9M2P (message 43).');
    const form = server.requests[0].body as FormData;
    const file = form.get('file') as File;
    expect(file.name).toBe('build.log');
    expect(await file.text()).toBe('log line');
    expect(form.has('sender')).toBe(false);
  });

  it('exits 2 for a file it cannot read, before any request', async () => {
    const server = fakeServer({});
    const { code, stderr } = await cli(['send', '--room', 'X', '--file', '/no/such/file'], server);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read --file /no/such/file: ENOENT');
    expect(server.requests).toHaveLength(0);
  });

  it('exits 1 with the status and the error when the server says no', async () => {
    const { code, stdout, stderr } = await cli(['send', '--room', 'NOPE', '--content', 'x'], fakeServer({}));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('parley: server answered 404 Not Found: Not Found');
  });

  it('with --json, prints the error body on stdout too', async () => {
    const { code, stdout } = await cli(['send', '--room', 'NOPE', '--content', 'x', '--json'], fakeServer({}));
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ error: 'Not Found' });
  });
});

describe('new-webhook and webhook-send', () => {
  const hook = {
    id: 1,
    room_code: 'X7K9M2P',
    label: 'Deploy Bot',
    token: 'tok',
    url: 'http://parley.test/hooks/in/X7K9M2P/tok',
  };

  it('prints id, token and URL', async () => {
    const server = fakeServer({ 'POST /rooms/X7K9M2P/webhooks': [200, hook] });
    const { code, stdout } = await cli(['new-webhook', '--room', 'X7K9M2P', '--label', 'Deploy Bot'], server);
    expect(code).toBe(0);
    expect(stdout).toContain('Webhook: 1');
    expect(stdout).toContain('Token:   tok');
    expect(stdout).toContain('URL:     http://parley.test/hooks/in/X7K9M2P/tok');
    expect(JSON.parse(server.requests[0].body as string)).toEqual({ label: 'Deploy Bot' });
  });

  it('posts through the URL, also given as a path on the base', async () => {
    const server = fakeServer({ 'POST /hooks/in/X7K9M2P/tok': [200, { ok: true, message_id: 43 }] });
    const { code, stdout } = await cli(['webhook-send', '--url', '/hooks/in/X7K9M2P/tok', '--content', 'hi'], server);
    expect(code).toBe(0);
    expect(stdout).toBe('Posted message 43.');
    expect(server.requests[0].url).toBe('http://parley.test/hooks/in/X7K9M2P/tok');
  });

  it('refuses a --url that is not http(s) with exit 2', async () => {
    const { code, stderr } = await cli(
      ['webhook-send', '--url', 'file:///etc/passwd', '--content', 'x'],
      fakeServer({}),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('--url must be an http(s) URL');
  });
});

describe('read and destroy', () => {
  it('prints one message per line', async () => {
    const second = { ...MESSAGE, id: 43, sender: 'CI', content: null, file_path: '/f/1', file_type: 'text/plain' };
    const server = fakeServer({ 'GET /rooms/X7K9M2P/messages': [200, [MESSAGE, second]] });
    const { code, stdout } = await cli(['read', '--room', 'X7K9M2P'], server);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      '2026-06-30 18:31:10  Deploy Bot: ✅ Build passed',
      '2026-06-30 18:31:10  CI: [file text/plain] http://parley.test/f/1',
    ]);
  });

  it('says so on stderr when the room is empty', async () => {
    const server = fakeServer({ 'GET /rooms/X7K9M2P/messages': [200, []] });
    const { code, stdout, stderr } = await cli(['read', '--room', 'X7K9M2P'], server);
    expect([code, stdout, stderr]).toEqual([0, '', 'No messages in X7K9M2P.']);
  });

  it('destroy sends /destroy with the admin token header', async () => {
    const server = fakeServer({ 'POST /rooms/X7K9M2P/commands': [200, { status: 'destroyed', command: 'destroy' }] });
    const { code, stdout } = await cli(['destroy', '--room', 'X7K9M2P', '--token', 'admin-secret'], server);
    expect(code).toBe(0);
    expect(stdout).toBe('Room X7K9M2P destroyed.');
    expect(server.requests[0].headers['x-admin-token']).toBe('admin-secret');
    expect(JSON.parse(server.requests[0].body as string)).toEqual({ command: '/destroy' });
  });

  it('escapes the room code into the path', async () => {
    const server = fakeServer({});
    await cli(['read', '--room', '../hooks?x'], server);
    expect(server.requests[0].url).toBe('http://parley.test/rooms/..%2FHOOKS%3FX/messages');
  });
});

describe('base URL', () => {
  it('prefers --base over PARLEY_BASE', async () => {
    const server = fakeServer({ 'GET /rooms/A/messages': [200, []] });
    await cli(['read', '--room', 'A', '--base', 'http://other.test:8080/'], server);
    expect(server.requests[0].url).toBe('http://other.test:8080/rooms/A/messages');
  });

  it('exits 2 for a base that is not an http(s) URL', async () => {
    const { code, stderr } = await cli(['read', '--room', 'A', '--base', 'parley.test'], fakeServer({}));
    expect(code).toBe(2);
    expect(stderr).toContain('--base must be an http(s) URL');
  });
});

/** A socket.io-client stand-in the test drives by emitting server events. */
class FakeSocket implements LiveSocket {
  active = true;
  closed = false;
  private readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  on(event: string, listener: (...args: never[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as (...args: unknown[]) => void]);
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  close() {
    this.closed = true;
    this.active = false;
  }
}

describe('tail', () => {
  const flush = () => new Promise((resolve) => setImmediate(resolve));

  function setup(messages: () => [number, unknown]) {
    const socket = new FakeSocket();
    const auth: unknown[] = [];
    let interrupt: (() => void) | undefined;
    const server = fakeServer({ 'GET /rooms/X7K9M2P/messages': messages });
    const overrides: Partial<Context> = {
      connectSocket: (base, a) => {
        auth.push({ base, ...a });
        return Promise.resolve(socket);
      },
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => (interrupt = undefined);
      },
      pollIntervalMs: 5,
    };
    return { socket, auth, server, overrides, interrupt: () => interrupt?.() };
  }

  it('joins as parley-cli, prints new messages once each, and exits 0 on destroyed', async () => {
    let history: unknown[] = [MESSAGE];
    const t = setup(() => [200, history]);
    const done = cli(['tail', '--room', 'X7K9M2P'], t.server, t.overrides);
    await flush();
    expect(t.auth).toEqual([{ base: 'http://parley.test', code: 'X7K9M2P', name: 'parley-cli' }]);
    // A message posted between the first GET and the connection is caught up once connected.
    const missed = { ...MESSAGE, id: 43, content: 'in between' };
    history = [MESSAGE, missed];
    t.socket.emit('connect');
    await flush();
    t.socket.emit('message', { ...MESSAGE, id: 44, content: 'live' });
    t.socket.emit('message', { ...MESSAGE, id: 44, content: 'live' });
    t.socket.emit('message', MESSAGE);
    t.socket.emit('destroyed', { code: 'X7K9M2P' });
    const { code, stdout, stderr } = await done;
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      '2026-06-30 18:31:10  Deploy Bot: in between',
      '2026-06-30 18:31:10  Deploy Bot: live',
    ]);
    expect(stderr).toContain('Tailing room X7K9M2P live');
    expect(stderr).toContain('Room X7K9M2P was destroyed.');
    expect(t.socket.closed).toBe(true);
  });

  it('prints NDJSON with --json', async () => {
    const t = setup(() => [200, []]);
    const done = cli(['tail', '--room', 'X7K9M2P', '--json'], t.server, t.overrides);
    await flush();
    t.socket.emit('connect');
    t.socket.emit('message', MESSAGE);
    t.interrupt();
    const { code, stdout } = await done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(MESSAGE);
  });

  it('exits 1 on the connect error room_not_found', async () => {
    const t = setup(() => [200, []]);
    const done = cli(['tail', '--room', 'X7K9M2P'], t.server, t.overrides);
    await flush();
    t.socket.active = false;
    t.socket.emit('connect_error', new Error('room_not_found'));
    const { code, stderr } = await done;
    expect(code).toBe(1);
    expect(stderr).toContain('room X7K9M2P not found (connect error room_not_found)');
  });

  it('exits 1 without connecting when the room does not exist, 3 when the server is not there', async () => {
    const t = setup(() => [404, { error: 'Room not found' }]);
    expect(await cli(['tail', '--room', 'X7K9M2P'], t.server, t.overrides)).toMatchObject({ code: 1 });
    expect(t.auth).toEqual([]);
    const down = { fetch: () => Promise.reject(new TypeError('fetch failed')), requests: [] };
    expect(await cli(['tail', '--room', 'X7K9M2P'], down, t.overrides)).toMatchObject({ code: 3 });
  });

  it('exits 3 when the live connection fails repeatedly before ever connecting', async () => {
    const t = setup(() => [200, []]);
    const done = cli(['tail', '--room', 'X7K9M2P'], t.server, t.overrides);
    await flush();
    for (let i = 0; i < 3; i++)
      t.socket.emit('connect_error', Object.assign(new Error('websocket error'), { type: 'TransportError' }));
    expect(await done).toMatchObject({ code: 3 });
  });

  it('falls back to polling when the server has no Socket.IO, printing only new ids, until the room is gone', async () => {
    let answer: [number, unknown] = [200, [MESSAGE]];
    const t = setup(() => answer);
    const done = cli(['tail', '--room', 'X7K9M2P'], t.server, t.overrides);
    await flush();
    t.socket.emit(
      'connect_error',
      Object.assign(new Error('xhr poll error'), { type: 'TransportError', description: 404 }),
    );
    expect(t.socket.closed).toBe(true);
    answer = [200, [MESSAGE, { ...MESSAGE, id: 43, content: 'polled' }]];
    await new Promise((resolve) => setTimeout(resolve, 30));
    answer = [404, { error: 'Room not found' }];
    const { code, stdout, stderr } = await done;
    expect(code).toBe(0);
    expect(stdout).toBe('2026-06-30 18:31:10  Deploy Bot: polled');
    expect(stderr).toContain('the server has no Socket.IO rooms gateway; polling every 0.005 s instead.');
    expect(stderr).toContain('Room X7K9M2P is gone (destroyed or expired).');
  });

  it('after the server drops the connection, ends with 0 if the room is gone and 1 if it is not', async () => {
    let answer: [number, unknown] = [200, []];
    const t = setup(() => answer);
    const gone = cli(['tail', '--room', 'X7K9M2P'], t.server, t.overrides);
    await flush();
    t.socket.emit('connect');
    answer = [404, { error: 'Room not found' }];
    t.socket.emit('disconnect', 'io server disconnect');
    expect(await gone).toMatchObject({ code: 0, stderr: expect.stringContaining('Room X7K9M2P is gone') });

    answer = [200, []];
    const kept = cli(['tail', '--room', 'X7K9M2P'], t.server, t.overrides);
    await flush();
    t.socket.emit('connect');
    t.socket.emit('disconnect', 'io server disconnect');
    expect(await kept).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('parley: the server closed the live connection to X7K9M2P'),
    });
  });

  it('stops with 0 on Ctrl-C', async () => {
    const t = setup(() => [200, []]);
    const done = cli(['tail', '--room', 'X7K9M2P'], t.server, t.overrides);
    await flush();
    t.socket.emit('connect');
    t.interrupt();
    expect(await done).toMatchObject({ code: 0 });
    expect(t.socket.closed).toBe(true);
  });
});
