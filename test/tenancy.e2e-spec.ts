import { expectError, type ApiResponse, type TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * The cross-workspace rule: anything in another workspace is indistinguishable from missing (404),
 * lists never show it, and a refused request changes nothing.
 */
describe('tenancy: another workspace is invisible', () => {
  let app: TestApp;
  // Workspace A: the default workspace.
  let adminA: TestUser;
  let memberA: TestUser;
  let channelA: { id: string; name: string };
  let messageA: { id: string; content: string };
  let webhookA: { id: string; token: string; name: string };
  // Workspace B: a fresh workspace whose admin attacks A's ids.
  let adminB: TestUser;
  let memberB: TestUser;

  const expectNotFound = (res: ApiResponse, code?: string) => {
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: expect.any(String), code: code ?? expect.any(String) });
  };

  beforeAll(async () => {
    app = await createTestApp();
    adminA = await app.given.admin();
    memberA = await app.given.member(adminA);
    channelA = await app.given.channel(adminA, 'secret-plans');
    const posted = await memberA.api.post(`/channels/${channelA.id}/messages`, { content: 'A-only content' });
    expect(posted.status).toBe(200);
    messageA = posted.body.message;
    const hook = await adminA.api.post('/webhooks', { name: 'A Bot', channelId: channelA.id });
    expect(hook.status).toBe(200);
    webhookA = hook.body.webhook;

    adminB = await app.given.workspace();
    memberB = await app.given.member(adminB);
  });
  afterAll(() => app.close());

  it('sets up two different workspaces', () => {
    expect(adminB.workspace.id).not.toBe(adminA.workspace.id);
    expect(adminB.isAdmin).toBe(true);
  });

  describe("B's admin gets 404 for A's ids", () => {
    it('GET /channels/:A-channel/messages (also with paging)', async () => {
      expectNotFound(await adminB.api.get(`/channels/${channelA.id}/messages`), 'CHANNEL_NOT_FOUND');
      expectNotFound(
        await adminB.api.get(`/channels/${channelA.id}/messages?limit=1&before=${messageA.id}`),
        'CHANNEL_NOT_FOUND',
      );
    });

    it('POST /channels/:A-channel/messages', async () => {
      const res = await adminB.api.post(`/channels/${channelA.id}/messages`, { content: 'injected by B' });
      expectNotFound(res, 'CHANNEL_NOT_FOUND');
    });

    it('PUT /channels/:A-channel', async () => {
      expectNotFound(await adminB.api.put(`/channels/${channelA.id}`, { name: 'pwned' }), 'CHANNEL_NOT_FOUND');
    });

    it('PUT /channels/:A-channel with a name that B already uses', async () => {
      expectNotFound(await adminB.api.put(`/channels/${channelA.id}`, { name: 'general' }), 'CHANNEL_NOT_FOUND');
    });

    it('DELETE /channels/:A-channel', async () => {
      expectNotFound(await adminB.api.delete(`/channels/${channelA.id}`), 'CHANNEL_NOT_FOUND');
    });

    it('PUT /messages/:A-message', async () => {
      const res = await adminB.api.put(`/messages/${messageA.id}`, { content: 'rewritten by B' });
      expectNotFound(res, 'MESSAGE_NOT_FOUND');
    });

    it('DELETE /messages/:A-message', async () => {
      expectNotFound(await adminB.api.delete(`/messages/${messageA.id}`), 'MESSAGE_NOT_FOUND');
    });

    it('DELETE /webhooks/:A-webhook', async () => {
      expectNotFound(await adminB.api.delete(`/webhooks/${webhookA.id}`), 'WEBHOOK_NOT_FOUND');
    });

    it("POST /webhooks with A's channelId", async () => {
      const res = await adminB.api.post('/webhooks', { name: 'B Bot in A', channelId: channelA.id });
      expectNotFound(res, 'CHANNEL_NOT_FOUND');
    });

    it("and B's plain member gets the same 404 on reads and writes", async () => {
      expectNotFound(await memberB.api.get(`/channels/${channelA.id}/messages`), 'CHANNEL_NOT_FOUND');
      expectNotFound(
        await memberB.api.post(`/channels/${channelA.id}/messages`, { content: 'x' }),
        'CHANNEL_NOT_FOUND',
      );
      expectNotFound(await memberB.api.put(`/messages/${messageA.id}`, { content: 'x' }), 'MESSAGE_NOT_FOUND');
      expectNotFound(await memberB.api.delete(`/messages/${messageA.id}`), 'MESSAGE_NOT_FOUND');
    });
  });

  describe("B's lists show nothing of A", () => {
    it('GET /channels', async () => {
      const res = await adminB.api.get('/channels');
      expect(res.status).toBe(200);
      const ids = res.body.channels.map((c: { id: string }) => c.id);
      const names = res.body.channels.map((c: { name: string }) => c.name);
      expect(ids).not.toContain(channelA.id);
      expect(names).not.toContain('secret-plans');
      // B has its own #general, which is not A's.
      const generalA = (await adminA.api.get('/channels')).body.channels.find(
        (c: { name: string }) => c.name === 'general',
      );
      expect(names).toContain('general');
      expect(ids).not.toContain(generalA.id);
    });

    it('GET /webhooks', async () => {
      const own = await app.given.webhook(adminB, (await app.given.channel(adminB)).id);
      const res = await adminB.api.get('/webhooks');
      expect(res.status).toBe(200);
      expect(res.body.webhooks.map((w: { id: string }) => w.id)).toEqual([own.id]);
      expect(res.text).not.toContain(webhookA.id);
      expect(res.text).not.toContain(channelA.id);
    });

    it('GET /users', async () => {
      const res = await adminB.api.get('/users');
      expect(res.status).toBe(200);
      const ids = res.body.users.map((u: { id: string }) => u.id);
      expect(ids).toEqual(expect.arrayContaining([adminB.id, memberB.id]));
      expect(ids).not.toContain(adminA.id);
      expect(ids).not.toContain(memberA.id);
      expect(res.text).not.toContain(adminA.email);
      expect(res.text).not.toContain(memberA.email);
    });

    it("GET /server/settings is B's own", async () => {
      const a = await adminA.api.get('/server/settings');
      const b = await adminB.api.get('/server/settings');
      expect(b.status).toBe(200);
      expect(b.body.name).not.toBe(a.body.name);
    });
  });

  describe("B's webhook credentials do not reach A", () => {
    it("B's webhook token on A's webhook URL is 401", async () => {
      const hookB = await app.given.webhook(adminB, (await app.given.channel(adminB)).id);
      const res = await app.api.post(`/webhooks/${webhookA.id}/messages`, { content: 'from B' }, bearer(hookB.token));
      expectError(res, 401, 'INVALID_WEBHOOK_TOKEN');
    });
  });

  describe("A's data is unchanged afterwards", () => {
    it('the message is still there with the same content', async () => {
      const res = await memberA.api.get(`/channels/${channelA.id}/messages`);
      expect(res.status).toBe(200);
      const contents = res.body.messages.map((m: { content: string }) => m.content);
      expect(contents).not.toContain('injected by B');
      expect(contents).not.toContain('from B');
      const message = res.body.messages.find((m: { id: string }) => m.id === messageA.id);
      expect(message).toMatchObject({ content: 'A-only content', updatedAt: null, author: { id: memberA.id } });
      expect(res.body.messages.every((m: { author: { isBot?: boolean } }) => !m.author.isBot)).toBe(true);
    });

    it('the channel keeps its name', async () => {
      const res = await adminA.api.get('/channels');
      const channel = res.body.channels.find((c: { id: string }) => c.id === channelA.id);
      expect(channel).toMatchObject({ id: channelA.id, name: 'secret-plans', updatedAt: null });
    });

    it('the webhook is still listed and still posts', async () => {
      const list = await adminA.api.get('/webhooks');
      expect(list.body.webhooks.map((w: { id: string }) => w.id)).toEqual([webhookA.id]);
      const res = await app.api.post(
        `/webhooks/${webhookA.id}/messages`,
        { content: 'A bot still works' },
        bearer(webhookA.token),
      );
      expect(res.status).toBe(200);
      expect(res.body.message).toMatchObject({ channelId: channelA.id, author: { id: `webhook:${webhookA.id}` } });
    });

    it("B's own #general is unaffected by A and vice versa", async () => {
      const channelsB = (await adminB.api.get('/channels')).body.channels;
      const generalB = channelsB.find((c: { name: string }) => c.name === 'general');
      expect((await adminA.api.get(`/channels/${generalB.id}/messages`)).status).toBe(404);
      expect((await adminA.api.delete(`/channels/${generalB.id}`)).status).toBe(404);
      expect((await adminB.api.get(`/channels/${generalB.id}/messages`)).status).toBe(200);
    });
  });
});
