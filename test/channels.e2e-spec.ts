import { randomBytes } from 'node:crypto';
import { expectError, type TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('channels', () => {
  let app: TestApp;
  let admin: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.admin();
    member = await app.given.member(admin);
  });
  afterAll(() => app.close());

  describe('GET /channels', () => {
    it('lists the default workspace channels, #general included, in the documented shape', async () => {
      const res = await admin.api.get('/channels');
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body.channels)).toBe(true);
      const general = res.body.channels.find((c: { name: string }) => c.name === 'general');
      expect(general).toBeDefined();
      for (const channel of res.body.channels) {
        expect(Object.keys(channel).sort()).toEqual(['createdAt', 'id', 'name', 'unreadCount', 'updatedAt']);
        expect(typeof channel.unreadCount).toBe('number');
        expect(typeof channel.id).toBe('string');
        expect(typeof channel.name).toBe('string');
        expect(typeof channel.createdAt).toBe('number');
        expect(channel.updatedAt === null || typeof channel.updatedAt === 'number').toBe(true);
      }
    });

    it('is readable by a plain member', async () => {
      const res = await member.api.get('/channels');
      expect(res.status).toBe(200);
      expect(res.body.channels.map((c: { name: string }) => c.name)).toContain('general');
    });

    it('requires a token', async () => {
      const res = await app.api.get('/channels');
      expectError(res, 401, 'AUTH_REQUIRED');
    });
  });

  describe('POST /channels', () => {
    it('lets an admin create a channel, answering 200 {channel}', async () => {
      const name = unique('release');
      const before = Date.now();
      const res = await admin.api.post('/channels', { name });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        channel: { id: expect.any(String), name, createdAt: expect.any(Number), updatedAt: null },
      });
      expect(res.body.channel.createdAt).toBeGreaterThanOrEqual(before - 5_000);
      expect(res.body.channel.createdAt).toBeLessThanOrEqual(Date.now() + 5_000);

      const list = await member.api.get('/channels');
      expect(list.body.channels).toContainEqual({ ...res.body.channel, unreadCount: 0 });
    });

    it('trims the name', async () => {
      const name = unique('trimmed');
      const res = await admin.api.post('/channels', { name: `  ${name}  ` });
      expect(res.status).toBe(200);
      expect(res.body.channel.name).toBe(name);
    });

    it('rejects a duplicate name, case-insensitively, with 409 CHANNEL_NAME_TAKEN', async () => {
      const name = unique('dup');
      expect((await admin.api.post('/channels', { name })).status).toBe(200);
      const same = await admin.api.post('/channels', { name });
      expect(same.status).toBe(409);
      expect(same.body).toEqual({ error: expect.any(String), code: 'CHANNEL_NAME_TAKEN' });
      const upper = await admin.api.post('/channels', { name: name.toUpperCase() });
      expectError(upper, 409, 'CHANNEL_NAME_TAKEN');
      const general = await admin.api.post('/channels', { name: 'General' });
      expectError(general, 409, 'CHANNEL_NAME_TAKEN');

      const list = await admin.api.get('/channels');
      const matching = list.body.channels.filter((c: { name: string }) => c.name.toLowerCase() === name.toLowerCase());
      expect(matching).toHaveLength(1);
    });

    it('refuses a non-admin with 403 ADMIN_REQUIRED and creates nothing', async () => {
      const name = unique('nope');
      const res = await member.api.post('/channels', { name });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: expect.any(String), code: 'ADMIN_REQUIRED' });
      const list = await admin.api.get('/channels');
      expect(list.body.channels.map((c: { name: string }) => c.name)).not.toContain(name);
    });

    it('accepts a name of exactly 80 characters', async () => {
      const name = unique('x').padEnd(80, 'y');
      const res = await admin.api.post('/channels', { name });
      expect(res.status).toBe(200);
      expect(res.body.channel.name).toBe(name);
    });

    it.each([
      ['empty', ''],
      ['whitespace only', '   '],
      ['81 characters', 'a'.repeat(81)],
      ['a number', 42],
      ['null', null],
      ['containing a NUL character', 'a\u0000b'],
    ])('rejects a name that is %s with 400', async (_label, name) => {
      const res = await admin.api.post('/channels', { name });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(typeof res.body.error).toBe('string');
    });

    it('rejects a missing name with 400', async () => {
      const res = await admin.api.post('/channels', {});
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('creates nothing when the input is rejected', async () => {
      const before = await admin.api.get('/channels');
      await admin.api.post('/channels', { name: 'b'.repeat(81) });
      await admin.api.post('/channels', { name: '' });
      const after = await admin.api.get('/channels');
      expect(after.body.channels).toEqual(before.body.channels);
    });
  });

  describe('PUT /channels/:channelId', () => {
    it('renames a channel and the list shows the new name', async () => {
      const channel = await app.given.channel(admin);
      const name = unique('renamed');
      const res = await admin.api.put(`/channels/${channel.id}`, { name });
      expect(res.status).toBe(200);
      expect(res.body.channel).toMatchObject({ id: channel.id, name, updatedAt: expect.any(Number) });

      const list = await admin.api.get('/channels');
      const listed = list.body.channels.find((c: { id: string }) => c.id === channel.id);
      expect(listed.name).toBe(name);
      expect(typeof listed.updatedAt).toBe('number');
    });

    it('refuses to rename to a taken name (any case) with 409 and keeps the old name', async () => {
      const taken = await app.given.channel(admin);
      const channel = await app.given.channel(admin);
      const res = await admin.api.put(`/channels/${channel.id}`, { name: taken.name.toUpperCase() });
      expectError(res, 409, 'CHANNEL_NAME_TAKEN');
      const toGeneral = await admin.api.put(`/channels/${channel.id}`, { name: 'general' });
      expect(toGeneral.status).toBe(409);

      const list = await admin.api.get('/channels');
      const listed = list.body.channels.find((c: { id: string }) => c.id === channel.id);
      expect(listed.name).toBe(channel.name);
    });

    it('allows renaming a channel to a different case of its own name', async () => {
      const channel = await app.given.channel(admin);
      const res = await admin.api.put(`/channels/${channel.id}`, { name: channel.name.toUpperCase() });
      expect(res.status).toBe(200);
      expect(res.body.channel.name).toBe(channel.name.toUpperCase());
    });

    it('refuses a non-admin with 403 ADMIN_REQUIRED', async () => {
      const channel = await app.given.channel(admin);
      const res = await member.api.put(`/channels/${channel.id}`, { name: unique('hijack') });
      expectError(res, 403, 'ADMIN_REQUIRED');
      const list = await admin.api.get('/channels');
      expect(list.body.channels.find((c: { id: string }) => c.id === channel.id).name).toBe(channel.name);
    });

    it('rejects an invalid new name with 400', async () => {
      const channel = await app.given.channel(admin);
      for (const name of ['', 'z'.repeat(81), 'nul\u0000']) {
        const res = await admin.api.put(`/channels/${channel.id}`, { name });
        expectError(res, 400, 'VALIDATION_FAILED');
      }
    });

    it('answers 404 CHANNEL_NOT_FOUND for an unknown channel', async () => {
      const res = await admin.api.put('/channels/00000000-0000-4000-8000-000000000000', { name: unique('ghost') });
      expectError(res, 404, 'CHANNEL_NOT_FOUND');
    });
  });

  describe('DELETE /channels/:channelId', () => {
    it('deletes the channel with its messages and webhooks', async () => {
      const channel = await app.given.channel(admin);
      const posted = await admin.api.post(`/channels/${channel.id}/messages`, { content: 'soon gone' });
      expect(posted.status).toBe(200);
      const webhook = await app.given.webhook(admin, channel.id);
      const hookUrl = `/webhooks/${webhook.id}/messages`;
      const before = await app.api.post(hookUrl, { content: 'bot hello' }, bearer(webhook.token));
      expect(before.status).toBe(200);

      const res = await admin.api.delete(`/channels/${channel.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });

      const list = await admin.api.get('/channels');
      expect(list.body.channels.map((c: { id: string }) => c.id)).not.toContain(channel.id);

      const messages = await admin.api.get(`/channels/${channel.id}/messages`);
      expectError(messages, 404, 'CHANNEL_NOT_FOUND');

      const post = await admin.api.post(`/channels/${channel.id}/messages`, { content: 'into the void' });
      expectError(post, 404, 'CHANNEL_NOT_FOUND');

      const edit = await admin.api.put(`/messages/${posted.body.message.id}`, { content: 'ghost edit' });
      expectError(edit, 404, 'MESSAGE_NOT_FOUND');

      const bot = await app.api.post(hookUrl, { content: 'still here?' }, bearer(webhook.token));
      expectError(bot, 401, 'INVALID_WEBHOOK_TOKEN');

      const webhooks = await admin.api.get('/webhooks');
      expect(webhooks.status).toBe(200);
      expect(webhooks.body.webhooks.map((w: { id: string }) => w.id)).not.toContain(webhook.id);
    });

    it('answers 404 when the channel is already deleted', async () => {
      const channel = await app.given.channel(admin);
      expect((await admin.api.delete(`/channels/${channel.id}`)).status).toBe(200);
      const again = await admin.api.delete(`/channels/${channel.id}`);
      expectError(again, 404, 'CHANNEL_NOT_FOUND');
    });

    it('frees the name for reuse', async () => {
      const channel = await app.given.channel(admin);
      expect((await admin.api.delete(`/channels/${channel.id}`)).status).toBe(200);
      const res = await admin.api.post('/channels', { name: channel.name });
      expect(res.status).toBe(200);
      expect(res.body.channel.id).not.toBe(channel.id);
    });

    it('refuses a non-admin with 403 ADMIN_REQUIRED and keeps the channel', async () => {
      const channel = await app.given.channel(admin);
      const res = await member.api.delete(`/channels/${channel.id}`);
      expectError(res, 403, 'ADMIN_REQUIRED');
      const messages = await admin.api.get(`/channels/${channel.id}/messages`);
      expect(messages.status).toBe(200);
    });
  });

  describe('malformed channel ids', () => {
    it.each([
      ['a word', 'abc'],
      ['a number', '123'],
      ['a near-uuid', '00000000-0000-0000-0000-00000000000z'],
      ['300 characters long', 'x'.repeat(300)],
    ])('answers 404, not 500, on every channel route for an id that is %s', async (_label, id) => {
      const path = `/channels/${encodeURIComponent(id)}`;
      const responses = await Promise.all([
        admin.api.get(`${path}/messages`),
        admin.api.post(`${path}/messages`, { content: 'hi' }),
        admin.api.put(path, { name: unique('x') }),
        admin.api.delete(path),
      ]);
      for (const res of responses) {
        expectError(res, 404, 'CHANNEL_NOT_FOUND');
      }
    });
  });
});
