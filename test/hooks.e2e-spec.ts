import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiClient, createTestDatabase, expectError, Given, type TestUser } from '@parley/testing';
import { startServerProcess, waitForExit } from './support/server-process';
import { createTestApp, TestApp, testDatabaseServer } from './support/test-app';

const DENIED = 'The resource owner or authorization server denied the request.';
const ACCESS_DENIED = `{"error":"access_denied","error_description":"${DENIED}","message":"${DENIED}"}`;

interface Hook {
  id: string;
  token: string;
}

/** The secret-URL form of a webhook, as `hook-api.txt` documents it. */
describe('POST /hooks/:id/:secret/message', () => {
  let app: TestApp;
  let admin: TestUser;

  const hookPost = (hook: Hook, body: unknown, headers: Record<string, string> = {}) =>
    app.api.post(`/hooks/${hook.id}/${hook.token}/message`, body, headers);
  const contents = async (channelId: string) =>
    ((await admin.api.get(`/channels/${channelId}/messages`)).body.messages as { content: string }[]).map(
      (m) => m.content,
    );
  const setup = async (name?: string) => {
    const channel = await app.given.channel(admin);
    return { channelId: channel.id, hook: await app.given.webhook(admin, channel.id, name) };
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.admin();
  });
  afterAll(() => app.close());

  it('posts {message} as the bot and answers 200 "ok" as text', async () => {
    const { channelId, hook } = await setup('Desktop Bot');
    const res = await hookPost(hook, { message: 'Hello World from Hook API!' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const stored = (await admin.api.get(`/channels/${channelId}/messages`)).body.messages;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      content: 'Hello World from Hook API!',
      author: { id: `webhook:${hook.id}`, userName: 'Desktop Bot', isBot: true },
    });
  });

  it('carries the rate-limit headers', async () => {
    const { hook } = await setup();
    const res = await hookPost(hook, { message: 'counted' });
    expect(res.headers.get('x-rate-limit-total-per-hour')).toBe('1000000');
    expect(res.headers.get('x-rate-limit-total-per-day')).toBe('10000000');
    expect(res.headers.get('x-rate-limit-used')).toBe('1');
    expect(res.headers.get('x-rate-limit-remaining')).toBe('999999');
  });

  it('takes the same bodies as the Bearer route: content, Slack text and blocks, Discord embeds', async () => {
    const { channelId, hook } = await setup();
    for (const body of [
      { content: 'discord style' },
      { text: 'slack *style*' },
      { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'from blocks' } }] },
      { embeds: [{ title: 'from an embed' }] },
    ]) {
      expect((await hookPost(hook, body)).text).toBe('ok');
    }
    expect(await contents(channelId)).toEqual(['discord style', 'slack **style**', 'from blocks', '**from an embed**']);
  });

  it('parses the body as JSON whatever its Content-Type says', async () => {
    const { channelId, hook } = await setup();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await hookPost(hook, JSON.stringify({ message: `as ${type}` }), { 'Content-Type': type });
      expect(res.text).toBe('ok');
    }
    expect(await contents(channelId)).toEqual(['as text/plain', 'as application/x-www-form-urlencoded']);
  });

  describe('a wrong id or secret', () => {
    it('answers exactly the seed 401 body for a wrong secret, an unknown or malformed id, or crossed credentials', async () => {
      const { channelId, hook } = await setup();
      const other = await setup();
      const attempts = [
        `/hooks/${hook.id}/${randomBytes(32).toString('hex')}/message`,
        `/hooks/${hook.id}/short/message`,
        `/hooks/00000000-0000-4000-8000-000000000000/${hook.token}/message`,
        `/hooks/not-a-uuid/${hook.token}/message`,
        `/hooks/${other.hook.id}/${hook.token}/message`,
        `/hooks/${hook.id}/${other.hook.token}/message`,
      ];
      for (const url of attempts) {
        const res = await app.api.post(url, { message: 'nope' });
        expect(res.status).toBe(401);
        expect(res.text).toBe(ACCESS_DENIED);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        // Not identified: no limits to report.
        expect(res.headers.get('x-rate-limit-used')).toBeNull();
      }
      expect(await contents(channelId)).toEqual([]);
      expect(await contents(other.channelId)).toEqual([]);
    });

    it('checks the secret before the body', async () => {
      const { hook } = await setup();
      const res = await app.api.post(`/hooks/${hook.id}/${'0'.repeat(64)}/message`, { message: '' });
      expect(res.status).toBe(401);
      expect(res.text).toBe(ACCESS_DENIED);
    });

    it('refuses a revoked hook at once', async () => {
      const { hook } = await setup();
      expect((await hookPost(hook, { message: 'before' })).text).toBe('ok');
      expect((await admin.api.delete(`/webhooks/${hook.id}`)).status).toBe(200);
      const res = await hookPost(hook, { message: 'after' });
      expect(res.status).toBe(401);
      expect(res.text).toBe(ACCESS_DENIED);
    });
  });

  describe('a bad body', () => {
    it.each([
      ['no text at all', {}],
      ['an empty message', { message: '' }],
      ['a message that is not a string', { message: 42 }],
      ['a NUL character', { message: 'a\u0000b' }],
      ['a JSON array', [{ message: 'hi' }]],
    ])('answers 400 VALIDATION_FAILED with the message under the seed names too, for %s', async (_label, body) => {
      const { channelId, hook } = await setup();
      const res = await hookPost(hook, body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body).toEqual({
        error: expect.any(String),
        code: 'VALIDATION_FAILED',
        error_description: res.body.error,
        message: res.body.error,
      });
      expect(await contents(channelId)).toEqual([]);
    });

    it('answers 413 CONTENT_TOO_LONG above 16,000 characters, and takes 16,000', async () => {
      const { channelId, hook } = await setup();
      expect((await hookPost(hook, { message: 'm'.repeat(16_000) })).text).toBe('ok');
      const res = await hookPost(hook, { message: 'm'.repeat(16_001) });
      expectError(res, 413, 'CONTENT_TOO_LONG');
      expect(res.body.message).toBe(res.body.error);
      expect(await contents(channelId)).toHaveLength(1);
    });

    it('answers malformed JSON with 400 INVALID_JSON before the route runs', async () => {
      const { channelId, hook } = await setup();
      const res = await hookPost(hook, '{"message":');
      expectError(res, 400, 'INVALID_JSON');
      expect(await contents(channelId)).toEqual([]);
    });

    it('answers other methods and paths with 404, never 500', async () => {
      const { hook } = await setup();
      expect((await app.api.get(`/hooks/${hook.id}/${hook.token}/message`)).status).toBe(404);
      expect((await app.api.post(`/hooks/${hook.id}/${hook.token}/messages`, { message: 'x' })).status).toBe(404);
      expect((await app.api.post(`/hooks/${hook.id}/message`, { message: 'x' })).status).toBe(404);
    });
  });

  it('replays a retried post with the same Idempotency-Key: "ok" again, one message', async () => {
    const { channelId, hook } = await setup();
    const key = { 'Idempotency-Key': 'alert-42-attempt' };
    const first = await hookPost(hook, { message: 'once' }, key);
    const retry = await hookPost(hook, { message: 'once' }, key);
    expect([first.text, retry.text]).toEqual(['ok', 'ok']);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await contents(channelId)).toEqual(['once']);
  });
});

describe('hook URL logs', () => {
  it('never write the secret of a hook URL, whatever the answer', async () => {
    const { serverUrl, template } = testDatabaseServer();
    const db = await createTestDatabase(serverUrl, template);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-hooks-log-'));
    // The built server as `npm start` runs it; debug, so even quiet successful ingest is logged.
    const server = await startServerProcess({
      DATABASE_URL: db.url,
      PARLEY_DATA_DIR: dataDir,
      AUTH_MODES: 'dev',
      LOG_LEVEL: 'debug',
      DATABASE_POOL_SIZE: '3',
    });
    try {
      const given = new Given(new ApiClient(server.baseUrl));
      const admin = await given.admin();
      const channel = await given.channel(admin);
      const hook = await given.webhook(admin, channel.id);
      const url = `${server.baseUrl}/hooks/${hook.id}/${hook.token}/message`;
      const post = (u: string, body: string) =>
        fetch(u, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
      expect((await post(url, '{"message":"logged?"}')).status).toBe(200);
      expect((await post(url, '{}')).status).toBe(400);
      expect((await post(url, '{"message":')).status).toBe(400);
      expect((await post(`${url}?thread_id=nope`, '{"message":"x"}')).status).toBe(404);
      expect((await post(`${server.baseUrl}/hooks/${hook.id}/${hook.token}x/message`, '{"message":"x"}')).status).toBe(
        401,
      );
      expect((await post(`${server.baseUrl}/hooks/${hook.token}/message`, '{}')).status).toBe(404);

      const hookLines = () =>
        server
          .output()
          .split('\n')
          .filter((l) => l.includes('"req":') && l.includes('/hooks/'));
      const deadline = Date.now() + 5000;
      while (hookLines().length < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(hookLines()).toHaveLength(6);
      expect(
        hookLines().every(
          (l) => l.includes(`/hooks/${hook.id}/[REDACTED]/message`) || l.includes('/hooks/[REDACTED]/message'),
        ),
      ).toBe(true);
      expect(server.output()).not.toContain(hook.token);
    } finally {
      server.child.kill('SIGTERM');
      await waitForExit(server.child);
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
