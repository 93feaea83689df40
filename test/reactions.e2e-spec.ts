import { expectError, SseStreams, TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

describe('reactions', () => {
  let app: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let outsider: TestUser;
  let channelId: string;
  const streams = new SseStreams(() => app.baseUrl);
  const open = (user: TestUser) => streams.connect(user);
  const post = async (user: TestUser, content = 'react to me') =>
    (await user.api.post(`/channels/${channelId}/messages`, { content })).body.message as { id: string };
  const react = (user: TestUser, id: string, reaction: unknown) =>
    user.api.post(`/messages/${id}/reactions`, { reaction });
  const unreact = (user: TestUser, id: string, reaction: unknown) =>
    user.api.delete(`/messages/${id}/reactions`, { reaction });

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

  it('adds and removes reactions, shaped {"👍": [userIds]}, with events', async () => {
    const m = await post(alice);
    const stream = await open(admin);
    const first = await react(alice, m.id, '👍');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ message: { id: m.id, reactions: { '👍': [alice.id] } } });
    const second = await react(bob, m.id, '👍');
    expect(second.body.message.reactions).toEqual({ '👍': [alice.id, bob.id] });
    const party = await react(bob, m.id, ':tada:');
    expect(party.body.message.reactions).toEqual({ '👍': [alice.id, bob.id], ':tada:': [bob.id] });
    const events = await stream.waitForType('NEW_REACTION', 3);
    expect(events[0].payload).toEqual({ messageId: m.id, channelId, userId: alice.id, reaction: '👍' });

    const removed = await unreact(alice, m.id, '👍');
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ message: { id: m.id, reactions: { '👍': [bob.id], ':tada:': [bob.id] } } });
    const [gone] = await stream.waitForType('DELETE_REACTION');
    expect(gone.payload).toEqual({ messageId: m.id, channelId, userId: alice.id, reaction: '👍' });

    const history = await alice.api.get(`/channels/${channelId}/messages?limit=5`);
    expect(history.body.messages.find((x: { id: string }) => x.id === m.id).reactions).toEqual({
      '👍': [bob.id],
      ':tada:': [bob.id],
    });
  });

  it('is idempotent: a repeated add or remove changes nothing and emits nothing', async () => {
    const m = await post(alice);
    const stream = await open(admin);
    await react(bob, m.id, '🚀');
    const again = await react(bob, m.id, '🚀');
    expect(again.status).toBe(200);
    expect(again.body.message.reactions).toEqual({ '🚀': [bob.id] });
    await unreact(bob, m.id, '🚀');
    const twice = await unreact(bob, m.id, '🚀');
    expect(twice.status).toBe(200);
    expect(twice.body.message.reactions).toEqual({});
    await stream.waitForType('DELETE_REACTION');
    await stream.quietFor(300);
    expect(stream.events.filter((e) => e.type === 'NEW_REACTION')).toHaveLength(1);
    expect(stream.events.filter((e) => e.type === 'DELETE_REACTION')).toHaveLength(1);
  });

  it('caps the different reactions of one message at 50 (409), while known ones stay open to all', async () => {
    const m = await post(alice);
    for (let i = 0; i < 50; i++) expect((await react(alice, m.id, `:r${i}:`)).status).toBe(200);
    expectError(await react(bob, m.id, ':one-too-many:'), 409, 'TOO_MANY_REACTIONS');
    const joined = await react(bob, m.id, ':r7:');
    expect(joined.status).toBe(200);
    expect(joined.body.message.reactions[':r7:']).toEqual([alice.id, bob.id]);
    expect(Object.keys(joined.body.message.reactions)).toHaveLength(50);
  });

  it('validates the reaction', async () => {
    const m = await post(alice);
    expectError(await react(alice, m.id, ''), 400, 'VALIDATION_FAILED');
    expectError(await react(alice, m.id, 'two words'), 400, 'VALIDATION_FAILED');
    expectError(await react(alice, m.id, 'x'.repeat(65)), 400, 'VALIDATION_FAILED');
    expectError(await react(alice, m.id, 5), 400, 'VALIDATION_FAILED');
    expectError(await alice.api.post(`/messages/${m.id}/reactions`, {}), 400, 'VALIDATION_FAILED');
    expectError(await react(alice, 'abc', '👍'), 404, 'MESSAGE_NOT_FOUND');
    expectError(await react(alice, '999999999', '👍'), 404, 'MESSAGE_NOT_FOUND');
    const history = await alice.api.get(`/channels/${channelId}/messages?limit=3`);
    expect(history.body.messages.find((x: { id: string }) => x.id === m.id).reactions).toEqual({});
  });

  it('requires a login', async () => {
    const m = await post(alice);
    expectError(await app.api.post(`/messages/${m.id}/reactions`, { reaction: '👍' }), 401, 'AUTH_REQUIRED');
    expectError(await app.api.delete(`/messages/${m.id}/reactions`, { reaction: '👍' }), 401, 'AUTH_REQUIRED');
  });

  it("hides another workspace's messages (404) and sends it no events", async () => {
    const m = await post(alice);
    const stream = await open(outsider);
    expectError(await react(outsider, m.id, '👍'), 404, 'MESSAGE_NOT_FOUND');
    expectError(await unreact(outsider, m.id, '👍'), 404, 'MESSAGE_NOT_FOUND');
    await react(bob, m.id, '👀');
    await stream.quietFor(300);
    expect(stream.events.filter((e) => e.type === 'NEW_REACTION')).toEqual([]);
  });

  it('on a DM message, lets only its participants react and hear of it', async () => {
    const dm = (await alice.api.post('/conversations', { targetUserId: bob.id })).body.conversation;
    const m = (await alice.api.post(`/conversations/${dm.id}/messages`, { content: 'dm' })).body.message;
    const bobStream = await open(bob);
    const adminStream = await open(admin);
    expect((await react(bob, m.id, '❤️')).body.message.reactions).toEqual({ '❤️': [bob.id] });
    const [event] = await bobStream.waitForType('NEW_REACTION');
    expect(event.payload).toEqual({ messageId: m.id, channelId: dm.id, userId: bob.id, reaction: '❤️' });
    expectError(await react(admin, m.id, '❤️'), 404, 'MESSAGE_NOT_FOUND');
    expectError(await unreact(admin, m.id, '❤️'), 404, 'MESSAGE_NOT_FOUND');
    await adminStream.quietFor(300);
    expect(adminStream.events.filter((e) => e.type === 'NEW_REACTION')).toEqual([]);
  });
});
