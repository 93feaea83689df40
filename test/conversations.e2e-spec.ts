import { expectError, SseStreams, TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

describe('DMs (/conversations)', () => {
  let app: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let outsider: TestUser;
  const streams = new SseStreams(() => app.baseUrl);
  const open = (user: TestUser) => streams.connect(user);
  const dmWith = async (from: TestUser, to: TestUser): Promise<{ id: string }> => {
    const res = await from.api.post('/conversations', { targetUserId: to.id });
    expect(res.status).toBe(200);
    return res.body.conversation;
  };
  const send = async (user: TestUser, dmId: string, content: string) => {
    const res = await user.api.post(`/conversations/${dmId}/messages`, { content });
    expect(res.status).toBe(200);
    return res.body.message as { id: string; createdAt: number };
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.workspace();
    alice = await app.given.member(admin);
    bob = await app.given.member(admin);
    carol = await app.given.member(admin);
    outsider = await app.given.workspace();
  });
  afterEach(() => streams.closeAll());
  afterAll(() => app.close());

  describe('POST /conversations', () => {
    it('creates the DM once and then returns it, telling only the participants', async () => {
      const dave = await app.given.member(admin);
      const aliceStream = await open(alice);
      const daveStream = await open(dave);
      const carolStream = await open(carol);
      const first = await alice.api.post('/conversations', { targetUserId: dave.id });
      expect(first.status).toBe(200);
      const participants = [alice.id, dave.id].sort();
      expect(first.body).toEqual({
        conversation: {
          id: expect.any(String),
          participants,
          createdAt: expect.any(Number),
          lastMessageAt: null,
          otherUser: { id: dave.id, userName: dave.email.split('@')[0] },
          unreadCount: 0,
        },
        isNew: true,
      });
      const again = await dave.api.post('/conversations', { targetUserId: alice.id });
      expect(again.body).toMatchObject({ conversation: { id: first.body.conversation.id }, isNew: false });
      expect(again.body.conversation.otherUser.id).toBe(alice.id);
      const [event] = await aliceStream.waitForType('NEW_CONVERSATION');
      expect(event.payload).toEqual({ id: first.body.conversation.id, participants, createdAt: expect.any(Number) });
      await daveStream.waitForType('NEW_CONVERSATION');
      await carolStream.quietFor(300);
      expect(carolStream.events.filter((e) => e.type === 'NEW_CONVERSATION')).toEqual([]);
      expect(aliceStream.events.filter((e) => e.type === 'NEW_CONVERSATION')).toHaveLength(1);
    });

    it('yields one conversation for simultaneous creates', async () => {
      const erin = await app.given.member(admin);
      const stream = await open(erin);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? erin : bob).api.post('/conversations', { targetUserId: i % 2 ? bob.id : erin.id }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(new Set(results.map((r) => r.body.conversation.id)).size).toBe(1);
      expect(results.filter((r) => r.body.isNew)).toHaveLength(1);
      await stream.waitForType('NEW_CONVERSATION');
      await stream.quietFor(300);
      expect(stream.events.filter((e) => e.type === 'NEW_CONVERSATION')).toHaveLength(1);
    });

    it('allows a note-to-self DM', async () => {
      const res = await carol.api.post('/conversations', { targetUserId: carol.id });
      expect(res.status).toBe(200);
      expect(res.body.conversation).toMatchObject({ participants: [carol.id], otherUser: { id: carol.id } });
    });

    it('refuses a target who is not a member here (404) and bad bodies (400)', async () => {
      expectError(await alice.api.post('/conversations', { targetUserId: outsider.id }), 404, 'USER_NOT_FOUND');
      expectError(await alice.api.post('/conversations', { targetUserId: 'nobody' }), 404, 'USER_NOT_FOUND');
      expectError(await alice.api.post('/conversations', {}), 400, 'VALIDATION_FAILED');
      expectError(await alice.api.post('/conversations', { targetUserId: 42 }), 400, 'VALIDATION_FAILED');
      expectError(await outsider.api.post('/conversations', { targetUserId: alice.id }), 404, 'USER_NOT_FOUND');
    });

    it('requires a login', async () => {
      expectError(await app.api.post('/conversations', { targetUserId: alice.id }), 401, 'AUTH_REQUIRED');
      expectError(await app.api.get('/conversations'), 401, 'AUTH_REQUIRED');
    });
  });

  describe('GET /conversations', () => {
    it("lists the caller's DMs, latest activity first, with the other user", async () => {
      const frank = await app.given.member(admin);
      const withAlice = await dmWith(frank, alice);
      const withBob = await dmWith(frank, bob);
      await send(alice, withAlice.id, 'hi frank');
      const latest = await send(bob, withBob.id, 'hey frank');
      const res = await frank.api.get('/conversations');
      expect(res.status).toBe(200);
      expect(res.body.conversations).toEqual([
        {
          id: withBob.id,
          participants: [frank.id, bob.id].sort(),
          createdAt: expect.any(Number),
          lastMessageAt: latest.createdAt,
          otherUser: { id: bob.id, userName: expect.any(String) },
          unreadCount: 1,
        },
        expect.objectContaining({ id: withAlice.id, otherUser: expect.objectContaining({ id: alice.id }) }),
      ]);
      const carolList = await carol.api.get('/conversations');
      expect(carolList.body.conversations.map((c: { id: string }) => c.id)).not.toContain(withBob.id);
      expect((await outsider.api.get('/conversations')).body.conversations).toEqual([]);
    });
  });

  describe('messages', () => {
    it('posts, lists, edits and deletes, with events only for the participants', async () => {
      const dm = await dmWith(alice, bob);
      const bobStream = await open(bob);
      const carolStream = await open(carol);
      const adminStream = await open(admin);
      const participants = [alice.id, bob.id].sort();

      const posted = await alice.api.post(`/conversations/${dm.id}/messages`, { content: 'just us' });
      expect(posted.status).toBe(200);
      expect(posted.body.message).toEqual({
        id: expect.any(String),
        channelId: dm.id,
        author: { id: alice.id, userName: expect.any(String) },
        content: 'just us',
        images: [],
        mentions: [],
        createdAt: expect.any(Number),
        updatedAt: null,
        reactions: {},
        threadMeta: null,
      });
      const [created] = await bobStream.waitForType('NEW_DM_MESSAGE');
      expect(created.payload).toEqual({ ...posted.body.message, participants });

      const list = await bob.api.get(`/conversations/${dm.id}/messages`);
      expect(list.status).toBe(200);
      expect(list.body.messages).toEqual([posted.body.message]);

      const id = posted.body.message.id;
      expectError(
        await bob.api.put(`/conversations/${dm.id}/messages/${id}`, { content: 'not mine' }),
        403,
        'NOT_MESSAGE_AUTHOR',
      );
      const edited = await alice.api.put(`/conversations/${dm.id}/messages/${id}`, { content: 'just us two' });
      expect(edited.status).toBe(200);
      expect(edited.body.message).toEqual({
        id,
        channelId: dm.id,
        content: 'just us two',
        mentions: [],
        updatedAt: expect.any(Number),
      });
      const [update] = await bobStream.waitForType('UPDATE_DM_MESSAGE');
      expect(update.payload).toEqual({ ...edited.body.message, conversationId: dm.id, participants });

      expectError(await bob.api.delete(`/conversations/${dm.id}/messages/${id}`), 403, 'NOT_MESSAGE_AUTHOR');
      const deleted = await alice.api.delete(`/conversations/${dm.id}/messages/${id}`);
      expect(deleted.body).toEqual({ success: true });
      const [gone] = await bobStream.waitForType('DELETE_DM_MESSAGE');
      expect(gone.payload).toEqual({ id, conversationId: dm.id, participants });

      await carolStream.quietFor(300);
      for (const stream of [carolStream, adminStream]) {
        expect(stream.events.filter((e) => e.type.includes('DM_MESSAGE'))).toEqual([]);
      }
    });

    it('is invisible to a member who is not a participant, even an admin (404)', async () => {
      const dm = await dmWith(alice, bob);
      const m = await send(alice, dm.id, 'secret');
      for (const user of [carol, admin, outsider]) {
        expectError(await user.api.get(`/conversations/${dm.id}/messages`), 404, 'CONVERSATION_NOT_FOUND');
        expectError(
          await user.api.post(`/conversations/${dm.id}/messages`, { content: 'x' }),
          404,
          'CONVERSATION_NOT_FOUND',
        );
        expectError(
          await user.api.put(`/conversations/${dm.id}/messages/${m.id}`, { content: 'x' }),
          404,
          'CONVERSATION_NOT_FOUND',
        );
        expectError(await user.api.delete(`/conversations/${dm.id}/messages/${m.id}`), 404, 'CONVERSATION_NOT_FOUND');
        // The generic message routes follow the conversation too.
        expectError(await user.api.put(`/messages/${m.id}`, { content: 'x' }), 404, 'MESSAGE_NOT_FOUND');
        expectError(await user.api.delete(`/messages/${m.id}`), 404, 'MESSAGE_NOT_FOUND');
      }
      const list = await bob.api.get(`/conversations/${dm.id}/messages`);
      expect(list.body.messages.map((x: { content: string }) => x.content)).toEqual(['secret']);
    });

    it('keeps DMs and channels apart on their routes', async () => {
      const dm = await dmWith(alice, bob);
      const m = await send(alice, dm.id, 'dm only');
      const channel = await app.given.channel(admin);
      const c = (await alice.api.post(`/channels/${channel.id}/messages`, { content: 'channel only' })).body.message;
      expectError(await alice.api.get(`/channels/${dm.id}/messages`), 404, 'CHANNEL_NOT_FOUND');
      expectError(await alice.api.post(`/channels/${dm.id}/messages`, { content: 'x' }), 404, 'CHANNEL_NOT_FOUND');
      expectError(await alice.api.get(`/conversations/${channel.id}/messages`), 404, 'CONVERSATION_NOT_FOUND');
      expectError(
        await alice.api.put(`/conversations/${dm.id}/messages/${c.id}`, { content: 'x' }),
        404,
        'MESSAGE_NOT_FOUND',
      );
      // A DM message edited through the generic route is still a DM edit.
      const stream = await open(bob);
      expect((await alice.api.put(`/messages/${m.id}`, { content: 'edited generically' })).status).toBe(200);
      await stream.waitForType('UPDATE_DM_MESSAGE');
    });

    it('validates content and pagination', async () => {
      const dm = await dmWith(alice, carol);
      expectError(await alice.api.post(`/conversations/${dm.id}/messages`, { content: '' }), 400, 'VALIDATION_FAILED');
      expectError(
        await alice.api.post(`/conversations/${dm.id}/messages`, { content: 'x'.repeat(16_001) }),
        413,
        'CONTENT_TOO_LONG',
      );
      expectError(await alice.api.get(`/conversations/${dm.id}/messages?limit=500`), 400, 'VALIDATION_FAILED');
      expectError(await alice.api.get('/conversations/not-a-uuid/messages'), 404, 'CONVERSATION_NOT_FOUND');
      const sent: string[] = [];
      for (let i = 0; i < 4; i++) sent.push((await send(alice, dm.id, `m${i}`)).id);
      const page = await carol.api.get(`/conversations/${dm.id}/messages?limit=2&before=${sent[3]}`);
      expect(page.body.messages.map((x: { content: string }) => x.content)).toEqual(['m1', 'm2']);
    });
  });
});
