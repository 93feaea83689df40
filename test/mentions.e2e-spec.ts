import { SseClient, TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

describe('mentions', () => {
  let app: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let outsider: TestUser;
  let channelId: string;
  const post = async (user: TestUser, content: string) => {
    const res = await user.api.post(`/channels/${channelId}/messages`, { content });
    expect(res.status).toBe(200);
    return res.body.message as { id: string; mentions: unknown[] };
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.workspace();
    alice = await app.given.member(admin, { email: `alice-${Date.now()}@example.com` });
    bob = await app.given.member(admin);
    expect((await bob.api.put('/users/me', { userName: 'Bobby' })).status).toBe(200);
    outsider = await app.given.workspace();
    channelId = (await app.given.channel(admin)).id;
  });
  afterAll(() => app.close());

  it('resolves @name by display name or e-mail local part, case-insensitively, in order', async () => {
    const handle = alice.email.split('@')[0];
    const m = await post(admin, `hey @bobby and @${handle.toUpperCase()}, ping @bobby again`);
    expect(m.mentions).toEqual([
      { type: 'user', id: bob.id },
      { type: 'user', id: alice.id },
    ]);
  });

  it('resolves @here and @channel in channels', async () => {
    const m = await post(alice, '@here deploy at 5, @channel please read.');
    expect(m.mentions).toEqual([{ type: 'here' }, { type: 'channel' }]);
  });

  it('ignores e-mail addresses, unknown names and members of other workspaces', async () => {
    const outsiderHandle = outsider.email.split('@')[0];
    const m = await post(alice, `mail ${bob.email} or @nobody-here or @${outsiderHandle}`);
    expect(m.mentions).toEqual([]);
  });

  it('re-resolves on edit, and tells clients', async () => {
    const m = await post(alice, 'no one yet');
    const stream = await SseClient.open(`${app.baseUrl}/events`, { token: bob.token });
    await stream.waitForType('CONNECTED');
    const edited = await alice.api.put(`/messages/${m.id}`, { content: 'now @Bobby' });
    expect(edited.body.message.mentions).toEqual([{ type: 'user', id: bob.id }]);
    const [event] = await stream.waitForType('UPDATE_MESSAGE');
    expect(event.payload.mentions).toEqual([{ type: 'user', id: bob.id }]);
    stream.close();
  });

  it('carries mentions in NEW_MESSAGE and in the history', async () => {
    const stream = await SseClient.open(`${app.baseUrl}/events`, { token: bob.token });
    await stream.waitForType('CONNECTED');
    const m = await post(alice, 'look @bobby');
    const [event] = await stream.waitForType('NEW_MESSAGE');
    expect(event.payload).toEqual(m);
    const history = await bob.api.get(`/channels/${channelId}/messages?limit=1`);
    expect(history.body.messages[0].mentions).toEqual([{ type: 'user', id: bob.id }]);
    stream.close();
  });

  it('resolves webhook posts too, and only users in a DM', async () => {
    const webhook = await app.given.webhook(admin, channelId);
    const res = await app.api.post(
      `/webhooks/${webhook.id}/messages`,
      { content: '@channel disk full, @bobby on call' },
      { Authorization: `Bearer ${webhook.token}` },
    );
    expect(res.body.message.mentions).toEqual([{ type: 'channel' }, { type: 'user', id: bob.id }]);
    const dm = (await alice.api.post('/conversations', { targetUserId: bob.id })).body.conversation;
    const inDm = await alice.api.post(`/conversations/${dm.id}/messages`, {
      content: `@here @bobby @${admin.email.split('@')[0]}`,
    });
    // Only participants can be mentioned in a DM: the admin is not in it.
    expect(inDm.body.message.mentions).toEqual([{ type: 'user', id: bob.id }]);
  });
});
