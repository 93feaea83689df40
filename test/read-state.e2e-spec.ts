import { expectError, TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

describe('read state (PUT …/read, unreadCount)', () => {
  let app: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let outsider: TestUser;
  const post = async (user: TestUser, channelId: string, content: string) =>
    (await user.api.post(`/channels/${channelId}/messages`, { content })).body.message as { id: string };
  const unread = async (user: TestUser, channelId: string): Promise<number> => {
    const res = await user.api.get('/channels');
    return res.body.channels.find((c: { id: string }) => c.id === channelId).unreadCount;
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.workspace();
    alice = await app.given.member(admin);
    bob = await app.given.member(admin);
    outsider = await app.given.workspace();
  });
  afterAll(() => app.close());

  it("counts others' messages after the marker, never one's own, and not thread replies", async () => {
    const channel = await app.given.channel(admin);
    const first = await post(alice, channel.id, 'one');
    await post(alice, channel.id, 'two');
    await post(bob, channel.id, 'mine');
    await bob.api.post(`/messages/${first.id}/thread`, { content: 'a reply' });
    expect(await unread(bob, channel.id)).toBe(2);
    expect(await unread(alice, channel.id)).toBe(1);

    const res = await bob.api.put(`/channels/${channel.id}/read`, { messageId: first.id });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ lastReadMessageId: first.id, unreadCount: 1 });
    expect(await unread(bob, channel.id)).toBe(1);
    const latest = await post(alice, channel.id, 'three');
    expect(await unread(bob, channel.id)).toBe(2);
    expect((await bob.api.put(`/channels/${channel.id}/read`, { messageId: latest.id })).body.unreadCount).toBe(0);
    expect(await unread(bob, channel.id)).toBe(0);
    // Each user has their own marker.
    expect(await unread(admin, channel.id)).toBe(4);
  });

  it('counts only what arrived after a new member joined', async () => {
    const channel = await app.given.channel(admin);
    await post(alice, channel.id, 'before carol');
    await new Promise((r) => setTimeout(r, 20));
    const carol = await app.given.member(admin);
    expect(await unread(carol, channel.id)).toBe(0);
    await post(alice, channel.id, 'after carol');
    expect(await unread(carol, channel.id)).toBe(1);
  });

  it('bounds the count at 100', async () => {
    const channel = await app.given.channel(admin);
    const webhook = await app.given.webhook(admin, channel.id);
    await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        app.api.post(
          `/webhooks/${webhook.id}/messages`,
          { content: `m${i}` },
          { Authorization: `Bearer ${webhook.token}` },
        ),
      ),
    );
    expect(await unread(alice, channel.id)).toBe(100);
  });

  it('works for DMs, listed in GET /conversations', async () => {
    const dm = (await alice.api.post('/conversations', { targetUserId: bob.id })).body.conversation;
    const m = (await alice.api.post(`/conversations/${dm.id}/messages`, { content: 'ping' })).body.message;
    const listed = async (user: TestUser) =>
      (await user.api.get('/conversations')).body.conversations.find((c: { id: string }) => c.id === dm.id).unreadCount;
    expect(await listed(bob)).toBe(1);
    expect(await listed(alice)).toBe(0);
    const res = await bob.api.put(`/conversations/${dm.id}/read`, { messageId: m.id });
    expect(res.body).toEqual({ lastReadMessageId: m.id, unreadCount: 0 });
    expect(await listed(bob)).toBe(0);
    expectError(
      await admin.api.put(`/conversations/${dm.id}/read`, { messageId: m.id }),
      404,
      'CONVERSATION_NOT_FOUND',
    );
  });

  it('refuses a message of another conversation, bad ids and bodies', async () => {
    const one = await app.given.channel(admin);
    const two = await app.given.channel(admin);
    const m = await post(alice, one.id, 'in one');
    expectError(await bob.api.put(`/channels/${two.id}/read`, { messageId: m.id }), 404, 'MESSAGE_NOT_FOUND');
    expectError(await bob.api.put(`/channels/${one.id}/read`, { messageId: 'abc' }), 400, 'VALIDATION_FAILED');
    expectError(await bob.api.put(`/channels/${one.id}/read`, {}), 400, 'VALIDATION_FAILED');
    expectError(await bob.api.put(`/channels/${one.id}/read`, { messageId: 12 }), 400, 'VALIDATION_FAILED');
    expectError(await bob.api.put('/channels/nope/read', { messageId: m.id }), 404, 'CHANNEL_NOT_FOUND');
    expect(await unread(bob, one.id)).toBe(1);
  });

  it('requires a login, and hides the channel from another workspace (404)', async () => {
    const channel = await app.given.channel(admin);
    const m = await post(alice, channel.id, 'x');
    expectError(await app.api.put(`/channels/${channel.id}/read`, { messageId: m.id }), 401, 'AUTH_REQUIRED');
    expectError(await outsider.api.put(`/channels/${channel.id}/read`, { messageId: m.id }), 404, 'CHANNEL_NOT_FOUND');
    const theirs = (await outsider.api.get('/channels')).body.channels.map((c: { id: string }) => c.id);
    expect(theirs).not.toContain(channel.id);
  });
});
