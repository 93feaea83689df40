import { expectError, type TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

interface Message {
  id: string;
  channelId: string;
  author: { id: string; userName: string; isBot?: boolean };
  content: string;
  createdAt: number;
  updatedAt: number | null;
}

describe('messages', () => {
  let app: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let channelId: string;

  const post = async (user: TestUser, content: string, channel = channelId): Promise<Message> => {
    const res = await user.api.post(`/channels/${channel}/messages`, { content });
    if (res.status !== 200) throw new Error(`post failed: ${res.status} ${res.text}`);
    return res.body.message;
  };
  const list = async (user: TestUser, channel = channelId, query = ''): Promise<Message[]> => {
    const res = await user.api.get(`/channels/${channel}/messages${query}`);
    if (res.status !== 200) throw new Error(`list failed: ${res.status} ${res.text}`);
    return res.body.messages;
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.admin();
    alice = await app.given.member(admin);
    bob = await app.given.member(admin);
    channelId = (await app.given.channel(admin)).id;
  });
  afterAll(() => app.close());

  describe('POST /channels/:channelId/messages', () => {
    it('answers 200 {message} with string ids, the author and epoch-millisecond times', async () => {
      const before = Date.now();
      const res = await alice.api.post(`/channels/${channelId}/messages`, { content: 'Hello, world!' });
      expect(res.status).toBe(200);
      expect(res.body.message).toMatchObject({
        id: expect.any(String),
        channelId,
        author: { id: alice.id, userName: expect.any(String) },
        content: 'Hello, world!',
        createdAt: expect.any(Number),
      });
      expect(res.body.message.id).toMatch(/^[1-9][0-9]*$/);
      expect(typeof res.body.message.author.id).toBe('string');
      expect(res.body.message.author.isBot).toBeUndefined();
      expect(res.body.message.createdAt).toBeGreaterThanOrEqual(before - 5_000);
      expect(res.body.message.createdAt).toBeLessThanOrEqual(Date.now() + 5_000);
    });

    it('keeps the content exactly as sent (no trimming or rewriting)', async () => {
      const content = '  spaced *markdown* <b>html</b> 👍 \n second line ';
      const message = await post(alice, content);
      expect(message.content).toBe(content);
      const listed = (await list(alice)).find((m) => m.id === message.id);
      expect(listed?.content).toBe(content);
    });

    it('accepts content of exactly 16,000 characters', async () => {
      const content = 'a'.repeat(16_000);
      const res = await alice.api.post(`/channels/${channelId}/messages`, { content });
      expect(res.status).toBe(200);
      expect(res.body.message.content).toHaveLength(16_000);
    });

    it('rejects 16,001 characters with 413 CONTENT_TOO_LONG and stores nothing', async () => {
      const channel = await app.given.channel(admin);
      const res = await alice.api.post(`/channels/${channel.id}/messages`, { content: 'a'.repeat(16_001) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ error: expect.any(String), code: 'CONTENT_TOO_LONG' });
      expect(await list(alice, channel.id)).toEqual([]);
    });

    it.each([
      ['empty', ''],
      ['whitespace only', ' \n\t  '],
      ['NUL-containing', 'a\u0000b'],
    ])('rejects %s content with 400', async (_label, content) => {
      const res = await alice.api.post(`/channels/${channelId}/messages`, { content });
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['a number', { content: 42 }],
      ['null', { content: null }],
      ['an array', { content: ['hi'] }],
      ['an object', { content: { text: 'hi' } }],
      ['a boolean', { content: true }],
      ['missing', {}],
    ])('rejects content that is %s with 400', async (_label, body) => {
      const res = await alice.api.post(`/channels/${channelId}/messages`, body);
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('stores nothing for rejected input', async () => {
      const channel = await app.given.channel(admin);
      for (const body of [{ content: '' }, { content: '   ' }, { content: 7 }, {}]) {
        expect((await alice.api.post(`/channels/${channel.id}/messages`, body)).status).toBe(400);
      }
      expect(await list(alice, channel.id)).toEqual([]);
    });

    it('rejects malformed JSON with 400', async () => {
      const res = await alice.api.post(`/channels/${channelId}/messages`, '{"content": ');
      expectError(res, 400, 'INVALID_JSON');
    });

    it('answers 404 CHANNEL_NOT_FOUND for an unknown channel', async () => {
      const res = await alice.api.post('/channels/00000000-0000-4000-8000-000000000000/messages', { content: 'hi' });
      expectError(res, 404, 'CHANNEL_NOT_FOUND');
    });

    it('requires a token', async () => {
      const res = await app.api.post(`/channels/${channelId}/messages`, { content: 'anonymous' });
      expect(res.status).toBe(401);
    });
  });

  describe('GET /channels/:channelId/messages', () => {
    it('lists the channel messages oldest to newest, with the full message shape', async () => {
      const channel = await app.given.channel(admin);
      const first = await post(alice, 'first', channel.id);
      const second = await post(bob, 'second', channel.id);
      const third = await post(alice, 'third', channel.id);

      const messages = await list(bob, channel.id);
      expect(messages.map((m) => m.id)).toEqual([first.id, second.id, third.id]);
      expect(messages.map((m) => m.content)).toEqual(['first', 'second', 'third']);
      expect(messages[1]).toMatchObject({
        id: second.id,
        channelId: channel.id,
        author: { id: bob.id, userName: second.author.userName },
        content: 'second',
        createdAt: second.createdAt,
        updatedAt: null,
      });
      for (const m of messages) expect(typeof m.id).toBe('string');
    });

    it('returns an empty list for a channel without messages', async () => {
      const channel = await app.given.channel(admin);
      const res = await alice.api.get(`/channels/${channel.id}/messages`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ messages: [] });
    });

    it('pages backwards with limit and before, each page oldest to newest, until empty', async () => {
      const channel = await app.given.channel(admin);
      const posted: Message[] = [];
      for (let i = 1; i <= 7; i++) posted.push(await post(alice, `m${i}`, channel.id));
      const contents = (ms: Message[]) => ms.map((m) => m.content);

      const page1 = await list(alice, channel.id, '?limit=3');
      expect(contents(page1)).toEqual(['m5', 'm6', 'm7']);
      expect(page1.map((m) => m.id)).toEqual(posted.slice(4).map((m) => m.id));

      const page2 = await list(alice, channel.id, `?limit=3&before=${page1[0].id}`);
      expect(contents(page2)).toEqual(['m2', 'm3', 'm4']);

      const page3 = await list(alice, channel.id, `?limit=3&before=${page2[0].id}`);
      expect(contents(page3)).toEqual(['m1']);

      const page4 = await list(alice, channel.id, `?limit=3&before=${page3[0].id}`);
      expect(page4).toEqual([]);
    });

    it('treats before as exclusive and works without limit', async () => {
      const channel = await app.given.channel(admin);
      const a = await post(alice, 'a', channel.id);
      const b = await post(alice, 'b', channel.id);
      const c = await post(alice, 'c', channel.id);
      expect((await list(alice, channel.id, `?before=${c.id}`)).map((m) => m.id)).toEqual([a.id, b.id]);
      expect((await list(alice, channel.id, `?before=${b.id}&limit=200`)).map((m) => m.id)).toEqual([a.id]);
    });

    it('returns at most 50 messages by default', async () => {
      const channel = await app.given.channel(admin);
      const posted: Message[] = [];
      for (let i = 0; i < 52; i++) posted.push(await post(bob, `n${i}`, channel.id));
      const page = await list(bob, channel.id);
      expect(page).toHaveLength(50);
      expect(page.map((m) => m.id)).toEqual(posted.slice(2).map((m) => m.id));
    });

    it.each(['201', '0', '-1', 'x', '1.5', ''])('rejects limit=%p with 400', async (limit) => {
      const res = await alice.api.get(`/channels/${channelId}/messages?limit=${limit}`);
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('accepts limit=200 and limit=1', async () => {
      const max = await alice.api.get(`/channels/${channelId}/messages?limit=200`);
      expect(max.status).toBe(200);
      const one = await alice.api.get(`/channels/${channelId}/messages?limit=1`);
      expect(one.status).toBe(200);
      expect(one.body.messages).toHaveLength(1);
    });

    it.each(['abc', '0', '-5', '1.5', '9'.repeat(30)])('rejects before=%p with 400', async (before) => {
      const res = await alice.api.get(`/channels/${channelId}/messages?before=${before}`);
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it('answers 404 CHANNEL_NOT_FOUND for an unknown or malformed channel id', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'abc']) {
        const res = await alice.api.get(`/channels/${id}/messages`);
        expectError(res, 404, 'CHANNEL_NOT_FOUND');
      }
    });
  });

  describe('PUT /messages/:messageId', () => {
    it('lets the author edit, answering {message:{id, content, updatedAt}}, and the list shows the edit', async () => {
      const message = await post(alice, 'typo');
      const res = await alice.api.put(`/messages/${message.id}`, { content: 'fixed' });
      expect(res.status).toBe(200);
      expect(res.body.message).toMatchObject({ id: message.id, content: 'fixed', updatedAt: expect.any(Number) });
      expect(res.body.message.updatedAt).toBeGreaterThanOrEqual(message.createdAt);

      const listed = (await list(bob)).find((m) => m.id === message.id);
      expect(listed).toMatchObject({
        id: message.id,
        content: 'fixed',
        createdAt: message.createdAt,
        updatedAt: res.body.message.updatedAt,
        author: { id: alice.id },
      });
    });

    it('refuses another member with 403 and leaves the message unchanged', async () => {
      const message = await post(alice, 'mine');
      const res = await bob.api.put(`/messages/${message.id}`, { content: 'hijacked' });
      expectError(res, 403, 'NOT_MESSAGE_AUTHOR');
      const listed = (await list(alice)).find((m) => m.id === message.id);
      expect(listed).toMatchObject({ content: 'mine', updatedAt: null });
    });

    it('refuses an admin editing someone else’s message with 403', async () => {
      const message = await post(alice, 'not yours to edit');
      const res = await admin.api.put(`/messages/${message.id}`, { content: 'admin edit' });
      expect(res.status).toBe(403);
      const listed = (await list(alice)).find((m) => m.id === message.id);
      expect(listed?.content).toBe('not yours to edit');
    });

    it('applies the content rules to edits (400 empty, 413 too long) and changes nothing', async () => {
      const message = await post(alice, 'original');
      const empty = await alice.api.put(`/messages/${message.id}`, { content: '   ' });
      expect(empty.status).toBe(400);
      const notString = await alice.api.put(`/messages/${message.id}`, { content: 12 });
      expect(notString.status).toBe(400);
      const nul = await alice.api.put(`/messages/${message.id}`, { content: 'nul\u0000' });
      expect(nul.status).toBe(400);
      const long = await alice.api.put(`/messages/${message.id}`, { content: 'b'.repeat(16_001) });
      expectError(long, 413, 'CONTENT_TOO_LONG');
      const listed = (await list(alice)).find((m) => m.id === message.id);
      expect(listed).toMatchObject({ content: 'original', updatedAt: null });
    });

    it.each([
      ['an unknown id', '999999999999'],
      ['a word', 'abc'],
      ['zero', '0'],
      ['a number too large for bigint', '9'.repeat(25)],
    ])('answers 404 MESSAGE_NOT_FOUND for %s', async (_label, id) => {
      const res = await alice.api.put(`/messages/${id}`, { content: 'anything' });
      expectError(res, 404, 'MESSAGE_NOT_FOUND');
    });
  });

  describe('DELETE /messages/:messageId', () => {
    it('lets the author delete their own message', async () => {
      const message = await post(alice, 'delete me');
      const res = await alice.api.delete(`/messages/${message.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });
      expect((await list(alice)).map((m) => m.id)).not.toContain(message.id);

      const again = await alice.api.delete(`/messages/${message.id}`);
      expectError(again, 404, 'MESSAGE_NOT_FOUND');
      const edit = await alice.api.put(`/messages/${message.id}`, { content: 'resurrect' });
      expect(edit.status).toBe(404);
    });

    it('refuses a member deleting someone else’s message with 403 and keeps it', async () => {
      const message = await post(alice, 'keep me');
      const res = await bob.api.delete(`/messages/${message.id}`);
      expectError(res, 403, 'NOT_MESSAGE_AUTHOR');
      expect((await list(alice)).map((m) => m.id)).toContain(message.id);
    });

    it('lets an admin delete anyone’s message', async () => {
      const message = await post(bob, 'moderated');
      const res = await admin.api.delete(`/messages/${message.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });
      expect((await list(bob)).map((m) => m.id)).not.toContain(message.id);
    });

    it.each([
      ['an unknown id', '999999999999'],
      ['a word', 'abc'],
      ['a negative number', '-1'],
      ['a number too large for bigint', '9'.repeat(25)],
    ])('answers 404 MESSAGE_NOT_FOUND for %s', async (_label, id) => {
      const res = await admin.api.delete(`/messages/${id}`);
      expectError(res, 404, 'MESSAGE_NOT_FOUND');
    });
  });
});
