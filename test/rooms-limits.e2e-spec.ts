import { ApiClient, expectError } from '@parley/testing';
import { PNG_1X1, roomRowCounts, RoomsClient } from './support/rooms';
import { RoomSockets } from './support/room-sockets';
import { createTestApp, TestApp } from './support/test-app';

/** Per-IP rate limits on creating rooms and on posting, with the team webhooks' headers. */
describe('ephemeral room rate limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({
      ROOM_CREATE_RATE_LIMIT_PER_HOUR: '3',
      ROOM_CREATE_RATE_LIMIT_PER_DAY: '10',
      ROOM_POST_RATE_LIMIT_PER_HOUR: '5',
      ROOM_POST_RATE_LIMIT_PER_DAY: '100',
      // The test plays several clients through X-Forwarded-For from loopback.
      TRUST_PROXY: 'loopback',
    });
  });
  afterAll(() => app.close());

  const from = (ip: string) => ({ 'X-Forwarded-For': ip });
  const limitHeaders = (res: { headers: Headers }) =>
    Object.fromEntries(
      ['total-per-hour', 'total-per-day', 'used', 'remaining'].map((h) => [h, res.headers.get(`x-rate-limit-${h}`)]),
    );

  it('limits room creation per IP, with the four headers and 429 + Retry-After', async () => {
    const create = (ip: string) => app.api.request('POST', '/rooms', undefined, from(ip));
    for (let i = 1; i <= 3; i++) {
      const res = await create('198.51.100.1');
      expect(res.status).toBe(200);
      expect(limitHeaders(res)).toEqual({
        'total-per-hour': '3',
        'total-per-day': '10',
        used: String(i),
        remaining: String(3 - i),
      });
    }
    const refused = await create('198.51.100.1');
    expectError(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    expect(limitHeaders(refused)).toMatchObject({ used: '3', remaining: '0' });
    // Another client is not affected; an IPv6 client counts per /64.
    expect((await create('198.51.100.2')).status).toBe(200);
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::9'])
      expect((await create(ip)).status).toBe(200);
    expectError(await create('2001:db8:1:2::3'), 429, 'RATE_LIMITED');
    expect((await create('2001:db8:1:3::1')).status).toBe(200);
  });

  it('shares one posting budget per IP across messages, hooks and files; refused posts store nothing', async () => {
    const rooms = new RoomsClient(new ApiClient(app.baseUrl));
    const { code } = (await app.api.request('POST', '/rooms', undefined, from('203.0.113.50'))).body;
    const hook = await rooms.hook(code);
    const ip = from('203.0.113.9');
    const hookPath = new URL(hook.url).pathname;
    const posts = [
      () => app.api.post(`/rooms/${code}/messages`, { content: 'one' }, ip),
      () => app.api.post(hookPath, { content: 'two' }, ip),
      async () => {
        const form = new FormData();
        form.append('file', new Blob([PNG_1X1]), 'p.png');
        const res = await fetch(`${app.baseUrl}/rooms/${code}/files`, { method: 'POST', body: form, headers: ip });
        return { status: res.status, body: await res.json(), headers: res.headers };
      },
    ];
    for (let i = 0; i < 5; i++) {
      const res = await posts[i % 3]();
      expect(res.status).toBe(200);
      expect(limitHeaders(res)).toMatchObject({ 'total-per-hour': '5', used: String(i + 1) });
    }
    const before = await roomRowCounts(app.db.url);
    for (const post of posts) {
      const res = await post();
      expectError(res, 429, 'RATE_LIMITED');
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    expect(await roomRowCounts(app.db.url)).toEqual(before);
    // Reads and room management are not posts; another client still posts.
    expect((await app.api.get(`/rooms/${code}/messages`, ip)).status).toBe(200);
    expect((await app.api.post(`/rooms/${code}/rename`, { name: 'busy' }, ip)).status).toBe(200);
    expect((await app.api.post(`/rooms/${code}/messages`, { content: 'other' }, from('203.0.113.10'))).status).toBe(
      200,
    );
  });

  it('spends the same per-IP post budget on socket posts', async () => {
    const code = (await app.api.request('POST', '/rooms', undefined, from('203.0.113.77'))).body.code as string;
    const live = new RoomSockets(() => app.baseUrl);
    try {
      const socket = await live.connect({ code, name: 'Chatty' });
      const answers: Array<{ ok?: boolean; code?: string; retry_after?: number }> = [];
      for (let i = 0; i < 6; i++) answers.push(await socket.emitWithAck('message', { content: `line ${i}` }));
      // The budget is 5 per hour for this address (127.0.0.1, also spent by any loopback post above).
      expect(answers.filter((a) => a.ok).length).toBeLessThanOrEqual(5);
      const refused = answers.find((a) => a.code === 'RATE_LIMITED');
      expect(refused?.retry_after).toBeGreaterThan(0);
      const stored = (await app.api.get(`/rooms/${code}/messages`)).body as unknown[];
      expect(stored).toHaveLength(answers.filter((a) => a.ok).length);
    } finally {
      live.closeAll();
    }
  });
});

/** Bad input gets a clear 4xx, never a 500, and changes nothing (PRODUCT.md §8). */
describe('ephemeral rooms and bad input', () => {
  let app: TestApp;
  let rooms: RoomsClient;
  beforeAll(async () => {
    app = await createTestApp();
    rooms = new RoomsClient(app.api);
  });
  afterAll(() => app.close());

  it('answers every malformed request with a 4xx JSON error and leaves the tables as they were', async () => {
    const room = await rooms.create();
    const hook = await rooms.hook(room.code, 'Bot');
    await rooms.say(room.code, 'baseline');
    const before = await roomRowCounts(app.db.url);
    const json = { 'Content-Type': 'application/json' };
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const c = room.code;
    const requests: Array<[string, string, string | undefined, Record<string, string>?]> = [
      ['POST', '/rooms', 'not json', json],
      ['POST', '/rooms', 'name=x', { 'Content-Type': 'text/plain' }],
      ['POST', '/rooms', '[]', json],
      ['POST', '/rooms', '{"name":{"$gt":""}}', json],
      ['POST', '/rooms', '{"name":"a\\u0000b"}', json],
      ['GET', `/rooms/${'A'.repeat(5000)}`, undefined],
      ['GET', `/rooms/${c}%00`, undefined],
      ['POST', `/rooms/${c}/messages`, deep, json],
      ['POST', `/rooms/${c}/messages`, '{"content":{"a":1}}', json],
      ['POST', `/rooms/${c}/messages`, '{"content":["x"]}', json],
      ['POST', `/rooms/${c}/messages`, '{"content":1e309}', json],
      ['POST', `/rooms/${c}/messages`, '{"content":"\\ud800"}', json],
      ['POST', `/rooms/${c}/messages`, `{"content":"${'x'.repeat(2 * 1024 * 1024)}"}`, json],
      ['POST', `/rooms/${c}/messages`, 'content=x', { 'Content-Type': 'application/x-www-form-urlencoded' }],
      ['POST', `/rooms/${c}/commands`, '{"command":{"name":"destroy"}}', json],
      ['POST', `/rooms/${c}/commands`, JSON.stringify({ command: `/destroy ${'x'.repeat(3000)}` }), json],
      ['POST', `/rooms/${c}/commands`, '{"command":"/destroy"}', { ...json, 'X-Admin-Token': 'x'.repeat(10_000) }],
      ['DELETE', `/rooms/${c}`, undefined, { 'X-Admin-Token': '' }],
      [
        'POST',
        `/rooms/${c}/rename`,
        `${Array.from({ length: 20 }, (_, i) => `k${i}=v`).join('&')}`,
        {
          'Content-Type': 'application/x-www-form-urlencoded',
        },
      ],
      [
        'POST',
        `/rooms/${c}/rename`,
        'name=x',
        { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' },
      ],
      ['POST', `/rooms/${c}/rename`, '{"name":["a"]}', json],
      ['POST', `/rooms/${c}/webhooks`, '{"label":{"x":1}}', json],
      ['DELETE', `/rooms/${c}/webhooks/${'9'.repeat(30)}`, undefined],
      ['DELETE', `/rooms/${c}/webhooks/1e3`, undefined],
      ['DELETE', `/rooms/${c}/webhooks/${hook.id}%20OR%201=1`, undefined],
      ['POST', `/hooks/in/${c}/${'t'.repeat(5000)}`, '{"content":"x"}', json],
      ['POST', `/hooks/in/${c}/${hook.token}`, '{"content":', json],
      ['POST', `/hooks/in/${c}/${hook.token}`, '{"content":{"nested":true}}', json],
      ['POST', `/hooks/in/${c}/${hook.token}`, '{"content":"x","sender":{"a":1}}', json],
      ['POST', `/hooks/in/${c}/${hook.token}`, deep, json],
      ['POST', `/hooks/in/${c}/${hook.token}`, 'null', json],
      ['POST', `/hooks/in/${c}/${hook.token}`, '{"content":"\\udc00 half a pair"}', json],
      ['POST', `/rooms/${c}/webhooks`, deep, json],
      ['POST', `/rooms/${c}/rename`, `{"name":${deep}}`, json],
      ['POST', `/rooms/${c}/files`, '--b\r\n\r\n', { 'Content-Type': 'multipart/form-data; boundary=b' }],
      ['POST', `/rooms/${c}/files`, 'x', { 'Content-Type': 'multipart/form-data; boundary=' }],
      ['POST', `/rooms/${c}/files`, 'x', { 'Content-Type': 'multipart/mixed; boundary=b' }],
      ['GET', `/rooms/${c}/files/${'a'.repeat(300)}`, undefined],
      ['GET', `/rooms/${c}/files/..%2F..%2Fpostgres-credentials.json`, undefined],
    ];
    const not4xx: string[] = [];
    for (const [method, path, body, headers] of requests) {
      const res = await app.api.request(method, path, body, headers);
      if (res.status < 400 || res.status >= 500 || typeof res.body.code !== 'string') {
        not4xx.push(`${method} ${path.slice(0, 60)} → ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(not4xx).toEqual([]);
    expect(await roomRowCounts(app.db.url)).toEqual(before);
    expect((await rooms.messages(room.code)).body.map((m: { content: string }) => m.content)).toEqual(['baseline']);
    expect((await app.api.get(`/rooms/${room.code}`)).body.name).toBeNull();
  });
});
