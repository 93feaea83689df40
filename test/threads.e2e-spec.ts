import { Client } from 'pg';
import { expectError, SseStreams, TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

describe('threads', () => {
  let app: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let outsider: TestUser;
  let channelId: string;
  const streams = new SseStreams(() => app.baseUrl);
  const open = (user: TestUser) => streams.connect(user);
  const post = async (user: TestUser, content: string, channel = channelId) => {
    const res = await user.api.post(`/channels/${channel}/messages`, { content });
    expect(res.status).toBe(200);
    return res.body.message as { id: string };
  };
  const reply = (user: TestUser, parentId: string, content: string) =>
    user.api.post(`/messages/${parentId}/thread`, { content });

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.workspace();
    alice = await app.given.member(admin);
    bob = await app.given.member(admin);
    outsider = await app.given.workspace();
    channelId = (await app.given.channel(admin)).id;
  });
  afterEach(() => streams.closeAll());
  afterAll(() => app.close());

  it('replies to a top-level message, answering {reply, threadMeta}, and tells the workspace', async () => {
    const parent = await post(alice, 'a question');
    const stream = await open(admin);
    const res = await reply(bob, parent.id, 'an answer');
    expect(res.status).toBe(200);
    expect(res.body.reply).toEqual({
      id: expect.any(String),
      threadId: parent.id,
      channelId,
      author: { id: bob.id, userName: expect.any(String) },
      content: 'an answer',
      images: [],
      mentions: [],
      createdAt: expect.any(Number),
      updatedAt: null,
      reactions: {},
    });
    expect(res.body.threadMeta).toEqual({
      replyCount: 1,
      lastReplyAt: res.body.reply.createdAt,
      lastReplyBy: { id: bob.id, userName: res.body.reply.author.userName },
      participants: [bob.id],
    });
    const [event] = await stream.waitForType('NEW_THREAD_REPLY');
    expect(event.payload).toEqual({
      parentMessageId: parent.id,
      channelId,
      reply: res.body.reply,
      threadMeta: res.body.threadMeta,
    });
  });

  it('keeps replies out of the channel history, which shows each thread summary instead', async () => {
    const parent = await post(alice, 'summary please');
    await reply(bob, parent.id, 'one');
    await reply(alice, parent.id, 'two');
    await reply(bob, parent.id, 'three');
    const history = await alice.api.get(`/channels/${channelId}/messages?limit=200`);
    const contents = history.body.messages.map((m: { content: string }) => m.content);
    expect(contents).toContain('summary please');
    expect(contents).not.toContain('two');
    const listed = history.body.messages.find((m: { id: string }) => m.id === parent.id);
    expect(listed.threadMeta).toEqual({
      replyCount: 3,
      lastReplyAt: expect.any(Number),
      lastReplyBy: { id: bob.id, userName: expect.any(String) },
      participants: [bob.id, alice.id],
    });
    const lonely = await post(alice, 'nobody answers');
    const again = await alice.api.get(`/channels/${channelId}/messages?limit=1`);
    expect(again.body.messages[0]).toMatchObject({ id: lonely.id, threadMeta: null });
  });

  it('lists replies oldest to newest, a page at a time', async () => {
    const parent = await post(alice, 'paged thread');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await reply(bob, parent.id, `r${i}`)).body.reply.id);
    const page = await alice.api.get(`/messages/${parent.id}/thread?limit=2`);
    expect(page.status).toBe(200);
    expect(page.body.replies.map((r: { id: string }) => r.id)).toEqual(ids.slice(3));
    const older = await alice.api.get(`/messages/${parent.id}/thread?limit=2&before=${ids[3]}`);
    expect(older.body.replies.map((r: { content: string }) => r.content)).toEqual(['r1', 'r2']);
    const all = await alice.api.get(`/messages/${parent.id}/thread`);
    expect(all.body.replies).toHaveLength(5);
    expect(all.body.replies[0]).toMatchObject({ threadId: parent.id, content: 'r0' });
  });

  it('refuses a reply to a reply', async () => {
    const parent = await post(alice, 'top');
    const first = await reply(bob, parent.id, 'nested?');
    const res = await reply(alice, first.body.reply.id, 'deeper');
    expectError(res, 400, 'THREAD_PARENT_NOT_TOP_LEVEL');
    const thread = await alice.api.get(`/messages/${parent.id}/thread`);
    expect(thread.body.replies).toHaveLength(1);
  });

  it('lets only the author edit a reply, and tells the workspace', async () => {
    const parent = await post(alice, 'edit me');
    const r = (await reply(bob, parent.id, 'typo')).body.reply;
    const stream = await open(alice);
    expectError(
      await alice.api.put(`/messages/${parent.id}/thread/${r.id}`, { content: 'hijack' }),
      403,
      'NOT_MESSAGE_AUTHOR',
    );
    const res = await bob.api.put(`/messages/${parent.id}/thread/${r.id}`, { content: 'fixed' });
    expect(res.status).toBe(200);
    expect(res.body.message).toEqual({
      id: r.id,
      threadId: parent.id,
      channelId,
      content: 'fixed',
      mentions: [],
      updatedAt: expect.any(Number),
    });
    const [event] = await stream.waitForType('UPDATE_THREAD_REPLY');
    expect(event.payload).toEqual({ ...res.body.message });
    const thread = await bob.api.get(`/messages/${parent.id}/thread`);
    expect(thread.body.replies[0]).toMatchObject({ content: 'fixed', updatedAt: res.body.message.updatedAt });
  });

  it('recomputes the thread summary when a reply is deleted', async () => {
    const parent = await post(alice, 'delete in thread');
    const first = (await reply(bob, parent.id, 'first')).body.reply;
    const second = (await reply(alice, parent.id, 'second')).body.reply;
    const stream = await open(admin);
    expectError(await alice.api.delete(`/messages/${parent.id}/thread/${first.id}`), 403, 'NOT_MESSAGE_AUTHOR');
    const res = await alice.api.delete(`/messages/${parent.id}/thread/${second.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true });
    const [event] = await stream.waitForType('DELETE_THREAD_REPLY');
    expect(event.payload).toEqual({
      id: second.id,
      threadId: parent.id,
      channelId,
      threadMeta: {
        replyCount: 1,
        lastReplyAt: first.createdAt,
        lastReplyBy: { id: bob.id, userName: first.author.userName },
        participants: [bob.id],
      },
    });
    // An admin may delete anyone's reply; the last one leaves an empty summary.
    expect((await admin.api.delete(`/messages/${parent.id}/thread/${first.id}`)).status).toBe(200);
    const [, last] = await stream.waitForType('DELETE_THREAD_REPLY', 2);
    expect(last.payload.threadMeta).toEqual({ replyCount: 0, lastReplyAt: null, lastReplyBy: null, participants: [] });
    const history = await alice.api.get(`/channels/${channelId}/messages?limit=5`);
    expect(history.body.messages.find((m: { id: string }) => m.id === parent.id).threadMeta).toBeNull();
  });

  it('keeps the summary right while replies are added and deleted at once', async () => {
    const parent = await post(alice, 'busy thread');
    const first: Array<{ id: string }> = [];
    for (let i = 0; i < 8; i++) first.push((await reply(i % 2 ? alice : bob, parent.id, `old ${i}`)).body.reply);
    const results = await Promise.all([
      ...first.map((r, i) => (i % 2 ? alice : bob).api.delete(`/messages/${parent.id}/thread/${r.id}`)),
      ...Array.from({ length: 8 }, (_, i) => reply(i % 2 ? alice : bob, parent.id, `new ${i}`)),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(16).fill(200));
    const replies = (await alice.api.get(`/messages/${parent.id}/thread`)).body.replies as Array<{
      id: string;
      createdAt: number;
      author: { id: string };
    }>;
    expect(replies).toHaveLength(8);
    const history = await alice.api.get(`/channels/${channelId}/messages?limit=5`);
    const meta = history.body.messages.find((m: { id: string }) => m.id === parent.id).threadMeta;
    const last = replies[replies.length - 1];
    expect(meta).toMatchObject({ replyCount: 8, lastReplyAt: last.createdAt, lastReplyBy: { id: last.author.id } });
    expect([...meta.participants].sort()).toEqual([alice.id, bob.id].sort());
  });

  it('reads a history page without stepping over thread replies, however many', async () => {
    const parent = await post(alice, 'a very long thread');
    const db = new Client({ connectionString: app.db.url });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO messages (workspace_id, conversation_id, thread_parent_id, author_user_id, content)
         SELECT workspace_id, conversation_id, id, author_user_id, 'log line ' || g
         FROM messages, generate_series(1, 5000) g WHERE id = $1::bigint`,
        [parent.id],
      );
      await db.query('ANALYZE messages');
      const plan = await db.query(
        `EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM messages
         WHERE conversation_id = $1 AND thread_parent_id IS NULL ORDER BY id DESC LIMIT 50`,
        [channelId],
      );
      const text = JSON.stringify(plan.rows[0]['QUERY PLAN']);
      expect(text).toContain('messages_conversation_id_thread_parent_id_id_idx');
      // Rows the scan visited and threw away: none of the 5,000 replies.
      expect(text).not.toMatch(/"Rows Removed by Filter":\s*[1-9]/);
    } finally {
      await db.end();
    }
    const page = await alice.api.get(`/channels/${channelId}/messages?limit=1`);
    expect(page.body.messages[0]).toMatchObject({ id: parent.id, threadMeta: null });
  });

  it('deletes the replies with their parent', async () => {
    const parent = await post(alice, 'doomed');
    const r = (await reply(bob, parent.id, 'goes too')).body.reply;
    expect((await alice.api.delete(`/messages/${parent.id}`)).status).toBe(200);
    expectError(await bob.api.get(`/messages/${parent.id}/thread`), 404, 'MESSAGE_NOT_FOUND');
    expectError(await bob.api.put(`/messages/${parent.id}/thread/${r.id}`, { content: 'x' }), 404, 'MESSAGE_NOT_FOUND');
  });

  it('addresses a reply only through its own parent', async () => {
    const one = await post(alice, 'one');
    const two = await post(alice, 'two');
    const r = (await reply(bob, one.id, 'belongs to one')).body.reply;
    expectError(
      await bob.api.put(`/messages/${two.id}/thread/${r.id}`, { content: 'moved?' }),
      404,
      'MESSAGE_NOT_FOUND',
    );
    expectError(await bob.api.delete(`/messages/${two.id}/thread/${r.id}`), 404, 'MESSAGE_NOT_FOUND');
    expectError(
      await bob.api.put(`/messages/${one.id}/thread/${two.id}`, { content: 'not a reply' }),
      404,
      'MESSAGE_NOT_FOUND',
    );
  });

  it('validates content and ids', async () => {
    const parent = await post(alice, 'validate');
    expectError(await reply(alice, parent.id, '   '), 400, 'VALIDATION_FAILED');
    expectError(await alice.api.post(`/messages/${parent.id}/thread`, {}), 400, 'VALIDATION_FAILED');
    expectError(await reply(alice, parent.id, 'x'.repeat(16_001)), 413, 'CONTENT_TOO_LONG');
    expectError(await reply(alice, 'not-an-id', 'hi'), 404, 'MESSAGE_NOT_FOUND');
    expectError(await reply(alice, '999999999', 'hi'), 404, 'MESSAGE_NOT_FOUND');
    expectError(await alice.api.get(`/messages/${parent.id}/thread?limit=0`), 400, 'VALIDATION_FAILED');
    const thread = await alice.api.get(`/messages/${parent.id}/thread`);
    expect(thread.body.replies).toEqual([]);
  });

  it('requires a login', async () => {
    const parent = await post(alice, 'auth');
    expectError(await app.api.get(`/messages/${parent.id}/thread`), 401, 'AUTH_REQUIRED');
    expectError(await app.api.post(`/messages/${parent.id}/thread`, { content: 'x' }), 401, 'AUTH_REQUIRED');
    expectError(await app.api.put(`/messages/${parent.id}/thread/1`, { content: 'x' }), 401, 'AUTH_REQUIRED');
    expectError(await app.api.delete(`/messages/${parent.id}/thread/1`), 401, 'AUTH_REQUIRED');
  });

  it("hides every thread route from another workspace's user (404)", async () => {
    const parent = await post(alice, 'private to the team');
    const r = (await reply(bob, parent.id, 'team reply')).body.reply;
    const stream = await open(outsider);
    expectError(await outsider.api.get(`/messages/${parent.id}/thread`), 404, 'MESSAGE_NOT_FOUND');
    expectError(await reply(outsider, parent.id, 'intrude'), 404, 'MESSAGE_NOT_FOUND');
    expectError(
      await outsider.api.put(`/messages/${parent.id}/thread/${r.id}`, { content: 'x' }),
      404,
      'MESSAGE_NOT_FOUND',
    );
    expectError(await outsider.api.delete(`/messages/${parent.id}/thread/${r.id}`), 404, 'MESSAGE_NOT_FOUND');
    await reply(bob, parent.id, 'unseen outside');
    await stream.quietFor(300);
    expect(stream.events.filter((e) => e.type === 'NEW_THREAD_REPLY')).toEqual([]);
  });

  it('keeps a thread on a DM message to its participants', async () => {
    const dm = (await alice.api.post('/conversations', { targetUserId: bob.id })).body.conversation;
    const parent = (await alice.api.post(`/conversations/${dm.id}/messages`, { content: 'psst' })).body.message;
    const bobStream = await open(bob);
    const adminStream = await open(admin);
    const res = await reply(bob, parent.id, 'psst back');
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatchObject({ threadId: parent.id, channelId: dm.id });
    await bobStream.waitForType('NEW_THREAD_REPLY');
    expectError(await reply(admin, parent.id, 'admin intrudes'), 404, 'MESSAGE_NOT_FOUND');
    expectError(await admin.api.get(`/messages/${parent.id}/thread`), 404, 'MESSAGE_NOT_FOUND');
    await adminStream.quietFor(300);
    expect(adminStream.events.filter((e) => e.type === 'NEW_THREAD_REPLY')).toEqual([]);
  });
});
