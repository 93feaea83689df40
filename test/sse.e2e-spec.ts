import * as http from 'node:http';
import { Client } from 'pg';
import { EventBus } from '@parley/events';
import { expectError, SseClient, TestUser } from '@parley/testing';
import { EventRetentionService } from '../apps/api/src/events/event-retention.service';
import { createTestApp, TestApp } from './support/test-app';

describe('SSE /events', () => {
  let app: TestApp;
  let admin: TestUser;
  let channelId: string;
  const streams: SseClient[] = [];
  const open = async (user: TestUser, lastEventId?: string | number) => {
    const s = await SseClient.open(`${app.baseUrl}/events`, { token: user.token, lastEventId });
    streams.push(s);
    await s.waitForType('CONNECTED');
    return s;
  };
  const post = (user: TestUser, content: string) => user.api.post(`/channels/${channelId}/messages`, { content });
  const ids = (frames: { id?: string }[]) => frames.map((f) => Number(f.id));

  beforeAll(async () => {
    app = await createTestApp({ SSE_HEARTBEAT_SECONDS: '1' });
    admin = await app.given.admin();
    channelId = (await app.given.channel(admin)).id;
  });
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  afterAll(() => app.close());

  it('sends CONNECTED first, then every event with an id', async () => {
    const stream = await open(admin);
    expect(stream.frames[0]).toMatchObject({
      type: 'CONNECTED',
      payload: { userId: admin.id, message: 'SSE connection established' },
    });
    expect(stream.frames[0].id).toMatch(/^\d+$/);
    const sent = await post(admin, 'hello stream');
    const [frame] = await stream.waitForType('NEW_MESSAGE');
    expect(frame.id).toMatch(/^\d+$/);
    expect(Number(frame.id)).toBeGreaterThan(Number(stream.frames[0].id));
    expect(frame.payload).toEqual(sent.body.message);
  });

  it('accepts the token as ?token= and refuses a stream without one', async () => {
    const viaQuery = await SseClient.open(`${app.baseUrl}/events?token=${admin.token}`);
    streams.push(viaQuery);
    await viaQuery.waitForType('CONNECTED');
    expect(viaQuery.status).toBe(200);
    const anonymous = await app.api.get('/events');
    expectError(anonymous, 401, 'AUTH_REQUIRED');
    const garbage = await app.api.get('/events?token=not-a-jwt');
    expect(garbage.status).toBe(401);
  });

  it('delivers concurrent writes live in increasing order, and replays any suffix exactly', async () => {
    const live = await open(admin);
    const webhook = await app.given.webhook(admin, channelId);
    const writes = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? post(admin, `user ${i}`)
        : app.api.post(
            `/webhooks/${webhook.id}/messages`,
            { content: `bot ${i}` },
            { Authorization: `Bearer ${webhook.token}` },
          ),
    );
    const answers = await Promise.all(writes);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const frames = await live.waitForType('NEW_MESSAGE', 40);
    const liveIds = ids(frames);
    expect(liveIds).toEqual([...liveIds].sort((a, b) => a - b));
    expect(new Set(liveIds).size).toBe(40);
    expect(new Set(frames.map((f) => f.payload.id))).toEqual(new Set(answers.map((a) => a.body.message.id)));

    // Resume after the 10th: exactly the 30 that followed, same ids, same order, nothing else.
    const resumed = await open(admin, liveIds[9]);
    const replayed = await resumed.waitForType('NEW_MESSAGE', 30);
    await resumed.quietFor(200);
    expect(ids(resumed.events)).toEqual(liveIds.slice(10));
    expect(replayed.map((f) => f.payload)).toEqual(frames.slice(10).map((f) => f.payload));
  });

  it('gives a reconnecting client what it missed while away, in order, without duplicates', async () => {
    const first = await open(admin);
    await post(admin, 'before the drop');
    const [seen] = await first.waitForType('NEW_MESSAGE');
    first.close();
    const missed = [];
    for (let i = 0; i < 5; i++) missed.push((await post(admin, `missed ${i}`)).body.message.id);

    const header = await open(admin, seen.id);
    await header.waitForType('NEW_MESSAGE', 5);
    const after = await post(admin, 'after reconnect');
    await header.waitForType('NEW_MESSAGE', 6);
    expect(header.events.map((f) => f.payload.id)).toEqual([...missed, after.body.message.id]);
    expect(ids(header.events)).toEqual([...ids(header.events)].sort((a, b) => a - b));

    const query = await SseClient.open(`${app.baseUrl}/events?token=${admin.token}&lastEventId=${seen.id}`);
    streams.push(query);
    await query.waitForType('NEW_MESSAGE', 6);
    expect(query.events.map((f) => f.payload.id)).toEqual([...missed, after.body.message.id]);
  });

  it('never passes over an earlier position whose transaction commits later', async () => {
    const stream = await open(admin);
    const pg = new Client({ connectionString: app.db.url });
    await pg.connect();
    try {
      // A writer that draws its position first and commits last.
      await pg.query('BEGIN');
      await pg.query(
        `INSERT INTO events (workspace_id, type, payload) VALUES ($1, 'UPDATE_SERVER_SETTINGS', '{"name":"held"}')`,
        [admin.workspace.id],
      );
      const later = await post(admin, 'committed first, drawn second');
      expect(later.status).toBe(200);
      await stream.quietFor(400);
      expect(stream.events).toHaveLength(0);
      await pg.query('COMMIT');
      await stream.waitFor((f) => f.length >= 3);
      expect(stream.events.map((f) => f.type)).toEqual(['UPDATE_SERVER_SETTINGS', 'NEW_MESSAGE']);
      expect(Number(stream.events[0].id)).toBeLessThan(Number(stream.events[1].id));
    } finally {
      await pg.end();
    }
  });

  it('keeps workspaces apart: B never sees A', async () => {
    const other = await app.given.workspace();
    const theirs = await open(other);
    const ours = await open(admin);
    await post(admin, 'for workspace A only');
    await ours.waitForType('NEW_MESSAGE');
    await theirs.quietFor(300);
    expect(theirs.events).toEqual([]);
    // Nor on replay from the very beginning.
    const replay = await open(other, 0);
    await replay.quietFor(300);
    expect(replay.events.every((f) => f.type !== 'NEW_MESSAGE' || f.payload.channelId !== channelId)).toBe(true);
    expect(JSON.stringify(replay.frames)).not.toContain('for workspace A only');
  });

  it('shows e-mail addresses in user events to admins only', async () => {
    const member = await app.given.member(admin);
    const adminStream = await open(admin);
    const memberStream = await open(member);
    const added = await admin.api.post('/users/add', { email: 'newcomer@example.com' });
    expect(added.status).toBe(200);
    const isNewcomer = (p: { id: string }) => p.id === added.body.userId;
    const forAdmin = await adminStream.waitForMatch('NEW_USER', isNewcomer);
    const forMember = await memberStream.waitForMatch('NEW_USER', isNewcomer);
    expect(forAdmin.payload).toEqual({ id: added.body.userId, userName: 'newcomer', email: 'newcomer@example.com' });
    expect(forMember.payload).toEqual({ id: added.body.userId, userName: 'newcomer' });
    expect(forAdmin.id).toBe(forMember.id);
  });

  it('tells a client to resync when it asks for an unknown or pruned position', async () => {
    const future = await open(admin, 999_999_999);
    const [resync] = await future.waitForType('RESYNC');
    expect(resync.payload.reason).toBe('unknown position');

    const pg = new Client({ connectionString: app.db.url });
    await pg.connect();
    await post(admin, 'soon to be old');
    const { rows } = await pg.query<{ p: string }>('SELECT max(position)::text AS p FROM events');
    await pg.query(`UPDATE events SET created_at = now() - interval '48 hours'`);
    await pg.end();
    // Retention never prunes past what live subscribers were given: wait for delivery first.
    const bus = app.server.app.get(EventBus);
    while (bus.settledPosition() < Number(rows[0].p)) await new Promise((r) => setTimeout(r, 20));
    expect(await app.server.app.get(EventRetentionService).prune()).toBeGreaterThan(0);
    const stale = await open(admin, Number(rows[0].p) - 1);
    const [pruned] = await stale.waitForType('RESYNC');
    expect(pruned.payload.reason).toBe('position is past the retention window');
    // Still live after the RESYNC.
    await post(admin, 'after resync');
    await stale.waitForType('NEW_MESSAGE');
  });

  it('rejects a malformed Last-Event-ID', async () => {
    const res = await app.api.get('/events', { Authorization: `Bearer ${admin.token}`, 'Last-Event-ID': 'abc' });
    expectError(res, 400, 'INVALID_LAST_EVENT_ID');
  });

  it('sends heartbeat comments and headers that stop proxy buffering', async () => {
    const raw = await new Promise<{ headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const req = http.get(`${app.baseUrl}/events?token=${admin.token}`, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        setTimeout(() => {
          req.destroy();
          resolve({ headers: res.headers, text });
        }, 1500);
      });
      req.on('error', reject);
    });
    expect(raw.headers['content-type']).toContain('text/event-stream');
    expect(raw.headers['x-accel-buffering']).toBe('no');
    expect(raw.headers['cache-control']).toContain('no-cache');
    expect(raw.text).toContain(': heartbeat');
  });
});

describe('SSE streams follow their session', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ SSE_HEARTBEAT_SECONDS: '1' })));
  afterAll(() => app.close());

  it('ends a stream within a heartbeat once its session is revoked', async () => {
    const admin = await app.given.admin();
    const member = await app.given.member(admin);
    const stream = await SseClient.open(`${app.baseUrl}/events`, { token: member.token });
    await stream.waitForType('CONNECTED');
    expect((await app.api.post('/auth/logout', { refreshToken: member.refreshToken })).status).toBe(200);
    await stream.waitFor(() => stream.closed, 5000);
    expect(stream.closed).toBe(true);
  });

  it('survives a client that stops reading and then loses its session', async () => {
    const admin = await app.given.admin();
    const member = await app.given.member(admin);
    const channel = await app.given.channel(admin);
    // A subscriber that never reads: its socket buffers fill up.
    const stalled = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get(`${app.baseUrl}/events?token=${member.token}`, (res) => {
        res.pause();
        resolve(res);
      });
      req.on('error', reject);
    });
    const big = 'x'.repeat(15_000);
    for (let i = 0; i < 20; i++) {
      await Promise.all(
        Array.from({ length: 5 }, () => admin.api.post(`/channels/${channel.id}/messages`, { content: big })),
      );
    }
    expect((await app.api.post('/auth/logout', { refreshToken: member.refreshToken })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3500)); // several heartbeats after the stream was ended
    expect((await app.api.get('/health')).status).toBe(200);
    await admin.api.post(`/channels/${channel.id}/messages`, { content: 'still alive' });
    expect((await app.api.get('/health')).status).toBe(200);
    stalled.destroy();
  });

  it('limits how many streams one user may hold open', async () => {
    const admin = await app.given.admin();
    const member = await app.given.member(admin);
    const open = await Promise.all(
      Array.from({ length: 20 }, () => SseClient.open(`${app.baseUrl}/events`, { token: member.token })),
    );
    await Promise.all(open.map((s) => s.waitForType('CONNECTED')));
    const refused = await app.api.get('/events', { Authorization: `Bearer ${member.token}` });
    expectError(refused, 429, 'TOO_MANY_STREAMS');
    open.forEach((s) => s.close());
  });

  it('announces the webhooks that go with a deleted channel', async () => {
    const admin = await app.given.admin();
    const channel = await app.given.channel(admin);
    const webhook = await app.given.webhook(admin, channel.id);
    const stream = await SseClient.open(`${app.baseUrl}/events`, { token: admin.token });
    await stream.waitForType('CONNECTED');
    expect((await admin.api.delete(`/channels/${channel.id}`)).status).toBe(200);
    await stream.waitForType('DELETE_CHANNEL');
    // The stream may also carry NEW_WEBHOOK: it was not yet settled when the stream opened.
    expect(stream.events.slice(-2).map((f) => [f.type, f.payload])).toEqual([
      ['DELETE_WEBHOOK', { id: webhook.id, channelId: channel.id }],
      ['DELETE_CHANNEL', { id: channel.id, name: channel.name }],
    ]);
    stream.close();
  });
});
