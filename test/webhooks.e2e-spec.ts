import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { expectError, type TestUser } from '@parley/testing';
import { EventRetentionService } from '../apps/api/src/events/event-retention.service';
import { createTestApp, TestApp } from './support/test-app';

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('webhooks', () => {
  let app: TestApp;
  let admin: TestUser;
  let member: TestUser;
  let channelId: string;

  /** Posts as a bot: no user token, only the webhook's own. */
  const botPost = (webhookId: string, body: unknown, headers: Record<string, string> = {}) =>
    app.api.post(`/webhooks/${webhookId}/messages`, body, headers);

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.admin();
    member = await app.given.member(admin);
    channelId = (await app.given.channel(admin)).id;
  });
  afterAll(() => app.close());

  describe('POST /webhooks', () => {
    it('lets an admin create a webhook; the token (64 hex) and its URL are shown once', async () => {
      const name = unique('GitHub Bot');
      const res = await admin.api.post('/webhooks', { name, channelId });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        webhook: {
          id: expect.any(String),
          name,
          channelId,
          avatarUrl: null,
          token: expect.stringMatching(/^[0-9a-f]{64}$/),
          createdAt: expect.any(Number),
          createdBy: admin.id,
          url: expect.any(String),
          hookUrl: expect.any(String),
        },
      });
      const { id, url, hookUrl, token } = res.body.webhook;
      expect(url).toMatch(/^https?:\/\//);
      expect(url.endsWith(`/webhooks/${id}/messages`)).toBe(true);
      expect(hookUrl).toBe(url.replace(`/webhooks/${id}/messages`, `/hooks/${id}/${token}/message`));
    });

    it('gives every webhook a different token', async () => {
      const a = await app.given.webhook(admin, channelId);
      const b = await app.given.webhook(admin, channelId);
      expect(a.id).not.toBe(b.id);
      expect(a.token).not.toBe(b.token);
    });

    it('refuses a non-admin with 403 ADMIN_REQUIRED', async () => {
      const name = unique('sneaky');
      const res = await member.api.post('/webhooks', { name, channelId });
      expectError(res, 403, 'ADMIN_REQUIRED');
      const list = await admin.api.get('/webhooks');
      expect(list.body.webhooks.map((w: { name: string }) => w.name)).not.toContain(name);
    });

    it('answers 404 CHANNEL_NOT_FOUND for an unknown channel', async () => {
      const res = await admin.api.post('/webhooks', { name: 'x', channelId: '00000000-0000-4000-8000-000000000000' });
      expectError(res, 404, 'CHANNEL_NOT_FOUND');
    });

    it('answers 404 CHANNEL_NOT_FOUND for a channel of another workspace, and creates nothing', async () => {
      const other = await app.given.workspace();
      const foreign = await app.given.channel(other);
      const name = unique('cross');
      const res = await admin.api.post('/webhooks', { name, channelId: foreign.id });
      expectError(res, 404, 'CHANNEL_NOT_FOUND');
      for (const user of [admin, other]) {
        const list = await user.api.get('/webhooks');
        expect(list.body.webhooks.map((w: { name: string }) => w.name)).not.toContain(name);
      }
    });

    it.each([
      ['an empty name', { name: '', channelId: 'CHANNEL' }],
      ['an 81-character name', { name: 'n'.repeat(81), channelId: 'CHANNEL' }],
      ['a NUL in the name', { name: 'a\u0000b', channelId: 'CHANNEL' }],
      ['no name', { channelId: 'CHANNEL' }],
      ['no channelId', { name: 'bot' }],
      ['a malformed channelId', { name: 'bot', channelId: 'abc' }],
    ])('rejects %s with 400', async (_label, body: Record<string, unknown>) => {
      const payload = { ...body, ...(body.channelId === 'CHANNEL' ? { channelId } : {}) };
      const res = await admin.api.post('/webhooks', payload);
      expectError(res, 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /webhooks', () => {
    it('lists the workspace webhooks without any token or hash', async () => {
      const created = await app.given.webhook(admin, channelId, unique('Listed Bot'));
      const res = await admin.api.get('/webhooks');
      expect(res.status).toBe(200);
      const listed = res.body.webhooks.find((w: { id: string }) => w.id === created.id);
      expect(listed).toEqual({
        id: created.id,
        name: expect.any(String),
        channelId,
        avatarUrl: null,
        createdAt: expect.any(Number),
        createdBy: admin.id,
      });
      for (const webhook of res.body.webhooks) {
        expect(Object.keys(webhook).sort()).toEqual(['avatarUrl', 'channelId', 'createdAt', 'createdBy', 'id', 'name']);
      }
      expect(res.text).not.toContain(created.token);
      expect(res.text.toLowerCase()).not.toMatch(/token|hash/);
    });

    it('refuses a non-admin with 403 ADMIN_REQUIRED', async () => {
      const res = await member.api.get('/webhooks');
      expectError(res, 403, 'ADMIN_REQUIRED');
    });
  });

  describe('POST /webhooks/:webhookId/messages', () => {
    it('posts as the bot and the message appears in the channel with isBot', async () => {
      const name = unique('CI Bot');
      const webhook = await app.given.webhook(admin, channelId, name);
      const res = await botPost(webhook.id, { content: 'Build #42 passed successfully!' }, bearer(webhook.token));
      expect(res.status).toBe(200);
      expect(res.body.message).toMatchObject({
        id: expect.any(String),
        channelId,
        content: 'Build #42 passed successfully!',
        author: { id: `webhook:${webhook.id}`, userName: name, isBot: true },
        createdAt: expect.any(Number),
      });

      const list = await member.api.get(`/channels/${channelId}/messages`);
      const listed = list.body.messages.find((m: { id: string }) => m.id === res.body.message.id);
      expect(listed).toMatchObject({
        content: 'Build #42 passed successfully!',
        author: { id: `webhook:${webhook.id}`, userName: name, isBot: true },
      });
    });

    it('accepts the Bearer scheme case-insensitively', async () => {
      const webhook = await app.given.webhook(admin, channelId);
      const res = await botPost(
        webhook.id,
        { content: 'lowercase scheme' },
        { Authorization: `bearer ${webhook.token}` },
      );
      expect(res.status).toBe(200);
    });

    it('ignores unknown fields in the body (username and icon_url are known: test/webhook-dialects)', async () => {
      const webhook = await app.given.webhook(admin, channelId);
      const body = { content: 'with extras', tts: true, channel: '#elsewhere', extra: { nested: [1] } };
      const res = await botPost(webhook.id, body, bearer(webhook.token));
      expect(res.status).toBe(200);
      expect(res.body.message.content).toBe('with extras');
      expect(res.body.message.channelId).toBe(channelId);
      expect(res.body.message.author).toEqual({
        id: `webhook:${webhook.id}`,
        userName: expect.any(String),
        isBot: true,
        avatarUrl: null,
      });
    });

    it("does not accept a user's access token in place of the webhook token", async () => {
      const webhook = await app.given.webhook(admin, channelId);
      const withUserToken = await member.api.post(`/webhooks/${webhook.id}/messages`, { content: 'as member?' });
      expectError(withUserToken, 401, 'INVALID_WEBHOOK_TOKEN');
    });

    it('rejects a wrong token with 401 INVALID_WEBHOOK_TOKEN', async () => {
      const webhook = await app.given.webhook(admin, channelId);
      const wrong = randomBytes(32).toString('hex');
      const res = await botPost(webhook.id, { content: 'nope' }, bearer(wrong));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: expect.any(String), code: 'INVALID_WEBHOOK_TOKEN' });
    });

    it('rejects a missing or non-Bearer Authorization header with 401', async () => {
      const webhook = await app.given.webhook(admin, channelId);
      const missing = await botPost(webhook.id, { content: 'no auth' });
      expectError(missing, 401, 'INVALID_WEBHOOK_TOKEN');
      const basic = await botPost(webhook.id, { content: 'basic' }, { Authorization: `Basic ${webhook.token}` });
      expect(basic.status).toBe(401);
      const empty = await botPost(webhook.id, { content: 'empty' }, { Authorization: 'Bearer ' });
      expect(empty.status).toBe(401);
    });

    it("rejects webhook X's token on webhook Y's URL with 401", async () => {
      const x = await app.given.webhook(admin, channelId);
      const otherChannel = await app.given.channel(admin);
      const y = await app.given.webhook(admin, otherChannel.id);
      const res = await botPost(y.id, { content: 'crossed' }, bearer(x.token));
      expectError(res, 401, 'INVALID_WEBHOOK_TOKEN');
      const list = await admin.api.get(`/channels/${otherChannel.id}/messages`);
      expect(list.body.messages).toEqual([]);
    });

    it('answers 401 (not 404 or 500) for an unknown or malformed webhook id', async () => {
      const webhook = await app.given.webhook(admin, channelId);
      for (const id of ['00000000-0000-4000-8000-000000000000', 'abc']) {
        const res = await botPost(id, { content: 'hi' }, bearer(webhook.token));
        expectError(res, 401, 'INVALID_WEBHOOK_TOKEN');
      }
    });

    it('checks the token before the body', async () => {
      const webhook = await app.given.webhook(admin, channelId);
      const res = await botPost(webhook.id, { content: '' }, bearer('0'.repeat(64)));
      expect(res.status).toBe(401);
    });

    it('accepts 16,000 characters and rejects 16,001 with 413 CONTENT_TOO_LONG', async () => {
      const channel = await app.given.channel(admin);
      const webhook = await app.given.webhook(admin, channel.id);
      const ok = await botPost(webhook.id, { content: 'c'.repeat(16_000) }, bearer(webhook.token));
      expect(ok.status).toBe(200);
      const tooLong = await botPost(webhook.id, { content: 'c'.repeat(16_001) }, bearer(webhook.token));
      expectError(tooLong, 413, 'CONTENT_TOO_LONG');
      const list = await admin.api.get(`/channels/${channel.id}/messages`);
      expect(list.body.messages).toHaveLength(1);
    });

    it.each([
      ['a JSON string', '"hello"'],
      ['a JSON array', '[{"content":"hi"}]'],
      ['null', 'null'],
      ['a number', '42'],
      ['malformed JSON', '{"content":'],
    ])('rejects a body that is %s with 400', async (_label, raw) => {
      const webhook = await app.given.webhook(admin, channelId);
      const res = await botPost(webhook.id, raw, bearer(webhook.token));
      expect(res.status).toBe(400);
      expect(['VALIDATION_FAILED', 'INVALID_JSON']).toContain(res.body.code);
    });

    it.each([
      ['missing', {}],
      ['empty', { content: '' }],
      ['whitespace only', { content: '   ' }],
      ['not a string', { content: 42 }],
      ['an object', { content: { text: 'hi' } }],
      ['NUL-containing', { content: 'a\u0000b' }],
    ])('rejects content that is %s with 400 and stores nothing', async (_label, body) => {
      const channel = await app.given.channel(admin);
      const webhook = await app.given.webhook(admin, channel.id);
      const res = await botPost(webhook.id, body, bearer(webhook.token));
      expectError(res, 400, 'VALIDATION_FAILED');
      const list = await admin.api.get(`/channels/${channel.id}/messages`);
      expect(list.body.messages).toEqual([]);
    });
  });

  describe('DELETE /webhooks/:webhookId', () => {
    it('revokes the webhook: its token no longer posts, it leaves the list, earlier posts stay', async () => {
      const channel = await app.given.channel(admin);
      const name = unique('Revoked Bot');
      const webhook = await app.given.webhook(admin, channel.id, name);
      const before = await botPost(webhook.id, { content: 'before revoke' }, bearer(webhook.token));
      expect(before.status).toBe(200);

      const res = await admin.api.delete(`/webhooks/${webhook.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });

      const after = await botPost(webhook.id, { content: 'after revoke' }, bearer(webhook.token));
      expectError(after, 401, 'INVALID_WEBHOOK_TOKEN');

      const list = await admin.api.get('/webhooks');
      expect(list.body.webhooks.map((w: { id: string }) => w.id)).not.toContain(webhook.id);

      const messages = await admin.api.get(`/channels/${channel.id}/messages`);
      expect(messages.body.messages).toHaveLength(1);
      expect(messages.body.messages[0]).toMatchObject({
        content: 'before revoke',
        author: { id: `webhook:${webhook.id}`, userName: name, isBot: true },
      });
    });

    it('answers 404 WEBHOOK_NOT_FOUND for an unknown, already deleted or malformed id', async () => {
      const webhook = await app.given.webhook(admin, channelId);
      expect((await admin.api.delete(`/webhooks/${webhook.id}`)).status).toBe(200);
      for (const id of [webhook.id, '00000000-0000-4000-8000-000000000000', 'abc']) {
        const res = await admin.api.delete(`/webhooks/${id}`);
        expectError(res, 404, 'WEBHOOK_NOT_FOUND');
      }
    });

    it('refuses a non-admin with 403 and the webhook keeps working', async () => {
      const webhook = await app.given.webhook(admin, channelId);
      const res = await member.api.delete(`/webhooks/${webhook.id}`);
      expectError(res, 403, 'ADMIN_REQUIRED');
      const post = await botPost(webhook.id, { content: 'still alive' }, bearer(webhook.token));
      expect(post.status).toBe(200);
    });
  });
});

describe('webhook token cache', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.close());

  it('refuses a cached token at once when the webhook is deleted by another process', async () => {
    const admin = await app.given.admin();
    const channel = await app.given.channel(admin);
    const webhook = await app.given.webhook(admin, channel.id);
    const auth = { Authorization: `Bearer ${webhook.token}` };
    expect((await app.api.post(`/webhooks/${webhook.id}/messages`, { content: 'cached now' }, auth)).status).toBe(200);
    // Another process (or psql) deletes it: this process's cache is not told.
    const pg = new Client({ connectionString: app.db.url });
    await pg.connect();
    await pg.query('DELETE FROM webhooks WHERE id = $1', [webhook.id]);
    await pg.end();
    const after = await app.api.post(`/webhooks/${webhook.id}/messages`, { content: 'too late' }, auth);
    expectError(after, 401, 'INVALID_WEBHOOK_TOKEN');
    const messages = (await admin.api.get(`/channels/${channel.id}/messages`)).body.messages as { content: string }[];
    expect(messages.map((m) => m.content)).toEqual(['cached now']);
  });

  it('writes concurrent posts from many webhooks, each answered with its own message', async () => {
    const admin = await app.given.admin();
    const channel = await app.given.channel(admin);
    const hooks = await Promise.all(Array.from({ length: 5 }, () => app.given.webhook(admin, channel.id)));
    const posts = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        app.api.post(
          `/webhooks/${hooks[i % 5].id}/messages`,
          { content: `line ${i}` },
          { Authorization: `Bearer ${hooks[i % 5].token}` },
        ),
      ),
    );
    posts.forEach((res, i) => {
      expect(res.status).toBe(200);
      expect(res.body.message.content).toBe(`line ${i}`);
      expect(res.body.message.author.id).toBe(`webhook:${hooks[i % 5].id}`);
    });
    const stored = (await admin.api.get(`/channels/${channel.id}/messages?limit=200`)).body.messages as {
      id: string;
    }[];
    expect(new Set(stored.map((m) => m.id))).toEqual(new Set(posts.map((p) => p.body.message.id)));
  });
});

describe('webhook avatars', () => {
  let app: TestApp;
  let admin: TestUser;
  let channelId: string;
  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.admin();
    channelId = (await app.given.channel(admin)).id;
  });
  afterAll(() => app.close());

  it('stores avatarUrl, returns it in both DTOs, and uses it as the default avatar of posts', async () => {
    const avatarUrl = 'https://cdn.example.com/bots/ci.png';
    const created = await admin.api.post('/webhooks', { name: 'CI', channelId, avatarUrl });
    expect(created.status).toBe(200);
    expect(created.body.webhook.avatarUrl).toBe(avatarUrl);
    const listed = (await admin.api.get('/webhooks')).body.webhooks.find(
      (w: { id: string }) => w.id === created.body.webhook.id,
    );
    expect(listed.avatarUrl).toBe(avatarUrl);
    const { id, token } = created.body.webhook;
    const post = await app.api.post(`/webhooks/${id}/messages`, { content: 'green' }, bearer(token));
    expect(post.body.message.author).toEqual({ id: `webhook:${id}`, userName: 'CI', isBot: true, avatarUrl });
    const stored = (await admin.api.get(`/channels/${channelId}/messages`)).body.messages;
    expect(stored.find((m: { id: string }) => m.id === post.body.message.id).author.avatarUrl).toBe(avatarUrl);
  });

  it('treats a missing or null avatarUrl as none', async () => {
    const res = await admin.api.post('/webhooks', { name: 'plain', channelId, avatarUrl: null });
    expect(res.status).toBe(200);
    expect(res.body.webhook.avatarUrl).toBeNull();
  });

  it.each([
    ['not a URL', 'bot.png'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:image/png;base64,AAAA'],
    ['an ftp URL', 'ftp://cdn.example.com/a.png'],
    ['over 2000 characters', `https://cdn.example.com/${'a'.repeat(2000)}`],
    ['a number', 42],
  ])('refuses an avatarUrl that is %s with 400 and creates nothing', async (_label, avatarUrl) => {
    const name = unique('bad-avatar');
    const res = await admin.api.post('/webhooks', { name, channelId, avatarUrl });
    expectError(res, 400, 'VALIDATION_FAILED');
    const list = await admin.api.get('/webhooks');
    expect(list.body.webhooks.map((w: { name: string }) => w.name)).not.toContain(name);
  });
});

describe('webhook rate limits', () => {
  let app: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    app = await createTestApp({ WEBHOOK_RATE_LIMIT_PER_HOUR: '3', WEBHOOK_RATE_LIMIT_PER_DAY: '1000' });
    admin = await app.given.admin();
  });
  afterAll(() => app.close());

  const limits = (res: { headers: Headers }) => ({
    hour: res.headers.get('x-rate-limit-total-per-hour'),
    day: res.headers.get('x-rate-limit-total-per-day'),
    used: res.headers.get('x-rate-limit-used'),
    remaining: res.headers.get('x-rate-limit-remaining'),
  });

  it('reports the limits on every answer once the webhook is known, and refuses past them with 429', async () => {
    const channel = await app.given.channel(admin);
    const hook = await app.given.webhook(admin, channel.id);
    const post = (body: unknown) => app.api.post(`/webhooks/${hook.id}/messages`, body, bearer(hook.token));

    const first = await post({ content: 'one' });
    expect(first.status).toBe(200);
    expect(limits(first)).toEqual({ hour: '3', day: '1000', used: '1', remaining: '2' });
    // A refused body is counted too, and its answer carries the headers.
    const bad = await post({ content: '' });
    expectError(bad, 400, 'VALIDATION_FAILED');
    expect(limits(bad)).toMatchObject({ used: '2', remaining: '1' });
    // The secret URL is the same webhook, so the same counter.
    const viaHook = await app.api.post(`/hooks/${hook.id}/${hook.token}/message`, { message: 'three' });
    expect(viaHook.text).toBe('ok');
    expect(limits(viaHook)).toMatchObject({ used: '3', remaining: '0' });

    const over = await post({ content: 'four' });
    expectError(over, 429, 'RATE_LIMITED');
    expect(limits(over)).toEqual({ hour: '3', day: '1000', used: '3', remaining: '0' });
    const retryAfter = Number(over.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const overHook = await app.api.post(`/hooks/${hook.id}/${hook.token}/message`, { message: 'five' });
    expectError(overHook, 429, 'RATE_LIMITED');
    expect(overHook.headers.get('retry-after')).toBeTruthy();

    const stored = (await admin.api.get(`/channels/${channel.id}/messages`)).body.messages as { content: string }[];
    expect(stored.map((m) => m.content)).toEqual(['one', 'three']);
  });

  it('counts per webhook, and not the requests it cannot attribute', async () => {
    const channel = await app.given.channel(admin);
    const a = await app.given.webhook(admin, channel.id);
    const b = await app.given.webhook(admin, channel.id);
    for (let i = 0; i < 3; i++) {
      expect((await app.api.post(`/webhooks/${a.id}/messages`, { content: `a${i}` }, bearer(a.token))).status).toBe(
        200,
      );
    }
    const wrong = await app.api.post(`/webhooks/${b.id}/messages`, { content: 'x' }, bearer('0'.repeat(64)));
    expectError(wrong, 401, 'INVALID_WEBHOOK_TOKEN');
    expect(wrong.headers.get('x-rate-limit-used')).toBeNull();
    const other = await app.api.post(`/webhooks/${b.id}/messages`, { content: 'b' }, bearer(b.token));
    expect(other.status).toBe(200);
    expect(limits(other)).toMatchObject({ used: '1', remaining: '2' });
  });
});

describe('webhook daily limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ WEBHOOK_RATE_LIMIT_PER_HOUR: '100', WEBHOOK_RATE_LIMIT_PER_DAY: '2' });
  });
  afterAll(() => app.close());

  it('reports the day window once it is the nearer limit, and refuses until the next UTC day', async () => {
    const admin = await app.given.admin();
    const channel = await app.given.channel(admin);
    const hook = await app.given.webhook(admin, channel.id);
    const post = () => app.api.post(`/webhooks/${hook.id}/messages`, { content: 'x' }, bearer(hook.token));
    expect((await post()).headers.get('x-rate-limit-remaining')).toBe('1');
    const second = await post();
    expect([second.headers.get('x-rate-limit-used'), second.headers.get('x-rate-limit-remaining')]).toEqual(['2', '0']);
    const over = await post();
    expectError(over, 429, 'RATE_LIMITED');
    const now = Date.now();
    const toMidnight = Math.ceil((Math.floor(now / 86_400_000 + 1) * 86_400_000 - now) / 1000);
    expect(Math.abs(Number(over.headers.get('retry-after')) - toMidnight)).toBeLessThanOrEqual(2);
  });
});

describe('Idempotency-Key', () => {
  let app: TestApp;
  let admin: TestUser;
  let pg: Client;
  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.admin();
    pg = new Client({ connectionString: app.db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await app.close();
  });

  const setup = async () => {
    const channel = await app.given.channel(admin);
    return { channelId: channel.id, hook: await app.given.webhook(admin, channel.id) };
  };
  const post = (hook: { id: string; token: string }, body: unknown, key?: string) =>
    app.api.post(`/webhooks/${hook.id}/messages`, body, {
      ...bearer(hook.token),
      ...(key === undefined ? {} : { 'Idempotency-Key': key }),
    });
  const stored = async (channelId: string) =>
    (await admin.api.get(`/channels/${channelId}/messages`)).body.messages as {
      id: string;
      content: string;
      threadMeta: { replyCount: number } | null;
    }[];
  const eventCount = async (type: string, channelId: string) =>
    Number(
      (await pg.query(`SELECT count(*) FROM events WHERE type = $1 AND payload->>'channelId' = $2`, [type, channelId]))
        .rows[0].count,
    );

  it('answers a retry with the first message and Idempotent-Replayed, writing one message and one event', async () => {
    const { channelId, hook } = await setup();
    const first = await post(hook, { content: 'deploy 7 done' }, 'deploy-7');
    const retry = await post(hook, { content: 'deploy 7 done (retry)' }, 'deploy-7');
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.message).toEqual(first.body.message);
    expect((await stored(channelId)).map((m) => m.content)).toEqual(['deploy 7 done']);
    expect(await eventCount('NEW_MESSAGE', channelId)).toBe(1);
  });

  it('writes one message and one event for the same key posted concurrently', async () => {
    const { channelId, hook } = await setup();
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(hook, { content: 'burst' }, 'burst-1')));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.body.message.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await stored(channelId)).toHaveLength(1);
    expect(await eventCount('NEW_MESSAGE', channelId)).toBe(1);
  });

  it('keeps keys per webhook: two webhooks may use the same key', async () => {
    const { channelId, hook } = await setup();
    const other = await app.given.webhook(admin, channelId);
    const a = await post(hook, { content: 'from a' }, 'shared-key');
    const b = await post(other, { content: 'from b' }, 'shared-key');
    expect(a.body.message.id).not.toBe(b.body.message.id);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect((await stored(channelId)).map((m) => m.content)).toEqual(['from a', 'from b']);
  });

  it('writes one thread reply and one event for a retried (and a concurrent) reply with a key', async () => {
    const { channelId, hook } = await setup();
    const parent = (await post(hook, { content: 'incident' })).body.message;
    const first = await post(hook, { text: 'update', thread_ts: parent.id }, 'reply-1');
    const again = await post(hook, { text: 'update', thread_ts: parent.id }, 'reply-1');
    expect(first.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.message).toEqual(first.body.message);
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => post(hook, { text: 'burst', thread_ts: parent.id }, 'reply-2')),
    );
    expect(burst.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(new Set(burst.map((a) => a.body.message.id)).size).toBe(1);
    expect(burst.filter((a) => a.headers.get('idempotent-replayed') === null)).toHaveLength(1);

    const replies = (await admin.api.get(`/messages/${parent.id}/thread`)).body.replies as { content: string }[];
    expect(replies.map((r) => r.content)).toEqual(['update', 'burst']);
    expect((await stored(channelId))[0].threadMeta).toMatchObject({ replyCount: 2 });
    expect(await eventCount('NEW_THREAD_REPLY', channelId)).toBe(2);
  });

  it('answers a key first used for a thread reply with that reply, whatever the retry asks', async () => {
    const { hook } = await setup();
    const parent = (await post(hook, { content: 'parent' })).body.message;
    const reply = await post(hook, { content: 'in thread', thread_id: parent.id }, 'mixed');
    const retry = await post(hook, { content: 'top level now' }, 'mixed');
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.message).toMatchObject({ id: reply.body.message.id, threadId: parent.id });
  });

  it.each([
    ['empty', ''],
    ['with a space', 'a b'],
    ['256 characters', 'k'.repeat(256)],
    ['not ASCII', 'cl\u00e9'],
    ['a control character', 'a\tb'],
  ])('refuses a key that is %s with 400 and stores nothing', async (_label, key) => {
    const { channelId, hook } = await setup();
    const res = await post(hook, { content: 'x' }, key);
    expectError(res, 400, 'INVALID_IDEMPOTENCY_KEY');
    expect(await stored(channelId)).toEqual([]);
  });

  it('accepts 255 visible ASCII characters, and a refused body does not use up its key', async () => {
    const { channelId, hook } = await setup();
    const key = '!~'.repeat(127) + 'k';
    expectError(await post(hook, { content: '' }, key), 400, 'VALIDATION_FAILED');
    const ok = await post(hook, { content: 'now valid' }, key);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('idempotent-replayed')).toBeNull();
    expect((await stored(channelId)).map((m) => m.content)).toEqual(['now valid']);
  });

  it('answers 409 when the message of a replayed key has been deleted', async () => {
    const { hook } = await setup();
    const first = await post(hook, { content: 'short-lived' }, 'gone');
    expect((await admin.api.delete(`/messages/${first.body.message.id}`)).status).toBe(200);
    expectError(await post(hook, { content: 'short-lived' }, 'gone'), 409, 'IDEMPOTENT_MESSAGE_DELETED');
  });

  it('keeps keys for at least 24 hours: the retention timer prunes those older than 48', async () => {
    const { hook } = await setup();
    await post(hook, { content: 'a' }, 'recent');
    await post(hook, { content: 'b' }, 'old');
    await pg.query(
      `UPDATE webhook_idempotency_keys SET created_at = now() - interval '49 hours' WHERE webhook_id = $1 AND key = 'old'`,
      [hook.id],
    );
    await pg.query(
      `UPDATE webhook_idempotency_keys SET created_at = now() - interval '47 hours' WHERE webhook_id = $1 AND key = 'recent'`,
      [hook.id],
    );
    const retention = app.server.app.get(EventRetentionService);
    expect(await retention.pruneIdempotencyKeys()).toBeGreaterThanOrEqual(1);
    const left = await pg.query('SELECT key FROM webhook_idempotency_keys WHERE webhook_id = $1', [hook.id]);
    expect(left.rows.map((r: { key: string }) => r.key)).toEqual(['recent']);
  });
});
