import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { expectError, type TestUser } from '@parley/testing';
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
          token: expect.stringMatching(/^[0-9a-f]{64}$/),
          createdAt: expect.any(Number),
          createdBy: admin.id,
          url: expect.any(String),
        },
      });
      const { id, url } = res.body.webhook;
      expect(url).toMatch(/^https?:\/\//);
      expect(url.endsWith(`/webhooks/${id}/messages`)).toBe(true);
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
        createdAt: expect.any(Number),
        createdBy: admin.id,
      });
      for (const webhook of res.body.webhooks) {
        expect(Object.keys(webhook).sort()).toEqual(['channelId', 'createdAt', 'createdBy', 'id', 'name']);
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

    it('ignores unknown fields in the body', async () => {
      const webhook = await app.given.webhook(admin, channelId);
      const body = { content: 'with extras', username: 'someone else', icon_url: 'http://x', extra: { nested: [1] } };
      const res = await botPost(webhook.id, body, bearer(webhook.token));
      expect(res.status).toBe(200);
      expect(res.body.message.content).toBe('with extras');
      expect(res.body.message.author).toEqual({
        id: `webhook:${webhook.id}`,
        userName: expect.any(String),
        isBot: true,
        avatarUrl: null,
      });
      expect(res.body.message.author.userName).not.toBe('someone else');
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
