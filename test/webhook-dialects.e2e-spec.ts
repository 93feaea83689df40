import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { expectError, SseClient, type TestUser } from '@parley/testing';
import { createTestApp, TestApp } from './support/test-app';

const fixture = (name: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/webhooks', name), 'utf8'));

interface Hook {
  id: string;
  token: string;
}

/**
 * Slack- and Discord-style bodies on both webhook URLs (PRODUCT.md §4): alerting tools post
 * unchanged, and what they post reads well in the channel.
 */
describe('webhook dialects', () => {
  let app: TestApp;
  let admin: TestUser;
  let member: TestUser;

  const bearerPost = (hook: Hook, body: unknown, query = '', headers: Record<string, string> = {}) =>
    app.api.post(`/webhooks/${hook.id}/messages${query}`, body, { Authorization: `Bearer ${hook.token}`, ...headers });
  const hookPost = (hook: Hook, body: unknown, query = '') =>
    app.api.post(`/hooks/${hook.id}/${hook.token}/message${query}`, body);
  const messagesOf = async (channelId: string) =>
    (await member.api.get(`/channels/${channelId}/messages?limit=200`)).body.messages as Array<{
      id: string;
      content: string;
      author: { id: string; userName: string; isBot?: boolean; avatarUrl?: string | null };
      mentions: unknown[];
      threadMeta: { replyCount: number } | null;
    }>;
  /** A channel with one webhook, so each test reads only its own messages. */
  const setup = async (options: { name?: string; avatarUrl?: string } = {}) => {
    const channel = await app.given.channel(admin);
    const res = await admin.api.post('/webhooks', {
      name: options.name ?? 'Ops Bot',
      channelId: channel.id,
      ...(options.avatarUrl ? { avatarUrl: options.avatarUrl } : {}),
    });
    expect(res.status).toBe(200);
    return { channelId: channel.id, hook: res.body.webhook as Hook };
  };

  beforeAll(async () => {
    app = await createTestApp();
    admin = await app.given.admin();
    member = await app.given.member(admin);
  });
  afterAll(() => app.close());

  describe('the done-when alerts', () => {
    it('posts an unchanged Slack alert {text, username} on the Bearer URL and on the secret URL', async () => {
      const { channelId, hook } = await setup();
      const alert = { text: '[FIRING:1] DiskFull on db-1: 97% used', username: 'Alertmanager' };
      const viaBearer = await bearerPost(hook, alert);
      expect(viaBearer.status).toBe(200);
      expect(viaBearer.body).toMatchObject({
        ok: true,
        message: { content: alert.text, author: { id: `webhook:${hook.id}`, userName: 'Alertmanager', isBot: true } },
      });
      const viaHook = await hookPost(hook, alert);
      expect(viaHook.status).toBe(200);
      expect(viaHook.text).toBe('ok');
      const stored = await messagesOf(channelId);
      expect(stored.map((m) => [m.content, m.author.userName, m.author.isBot])).toEqual([
        [alert.text, 'Alertmanager', true],
        [alert.text, 'Alertmanager', true],
      ]);
    });

    it('posts an unchanged Discord message {content, username, avatar_url}', async () => {
      const { channelId, hook } = await setup();
      const body = {
        content: 'Deploy of **api** finished',
        username: 'Deploy Bot',
        avatar_url: 'https://cdn.example.com/deploy.png',
        tts: false,
        allowed_mentions: { parse: [] },
      };
      const res = await bearerPost(hook, body, '?wait=true');
      expect(res.status).toBe(200);
      const [stored] = await messagesOf(channelId);
      expect(stored).toMatchObject({
        content: 'Deploy of **api** finished',
        author: { userName: 'Deploy Bot', isBot: true, avatarUrl: 'https://cdn.example.com/deploy.png' },
      });
    });
  });

  describe('fixtures as the tools send them', () => {
    it('Prometheus Alertmanager (Slack notifier): linked title, alert lines, graph link', async () => {
      const { channelId, hook } = await setup();
      // Alertmanager checks for Slack's plain `ok`, so it is pointed at the secret URL.
      const res = await hookPost(hook, fixture('alertmanager-slack.json'));
      expect(res.status).toBe(200);
      const [stored] = await messagesOf(channelId);
      expect(stored.author.userName).toBe('AlertManager');
      const lines = stored.content.split('\n');
      expect(lines[0]).toBe(
        '**[[FIRING:2] HighErrorRate (api production)](http://alertmanager.example.com:9093/#/alerts?receiver=slack-notifications)**',
      );
      expect(lines).toContain('**Alert:** 5xx ratio above 5% on api-1 - `critical`');
      expect(lines).toContain('**Description:** 6.1% of requests to api-2 failed over the last 5 minutes.');
      expect(lines).toContain('  • instance: api-2:8080');
      expect(lines[lines.length - 1]).toBe(
        '[:chart_with_upwards_trend: Graph](http://prometheus.example.com:9090/graph?g0.expr=job%3Dapi&g0.tab=1)',
      );
    });

    it("Grafana's Slack contact point: @here, linked title, alert text, footer", async () => {
      const { channelId, hook } = await setup();
      const res = await bearerPost(hook, fixture('grafana-slack.json'));
      expect(res.status).toBe(200);
      // Grafana checks a JSON answer for `ok: true`.
      expect(res.body.ok).toBe(true);
      const [stored] = await messagesOf(channelId);
      expect(stored.author).toMatchObject({
        userName: 'Grafana',
        avatarUrl: 'https://grafana.com/static/assets/img/fav32.png',
      });
      expect(stored.mentions).toEqual([{ type: 'here' }]);
      const lines = stored.content.split('\n');
      expect(lines.slice(0, 3)).toEqual([
        '@here',
        '**[[FIRING:1] DiskSpaceLow Infrastructure (db-1:9100)](https://grafana.example.com/alerting/grafana/fdq2x8k/view?orgId=1)**',
        '**Firing**',
      ]);
      expect(lines).toContain(' - summary = Disk on db-1 is 91% full');
      expect(lines).toContain(
        'Silence: https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=__alert_rule_uid__%3Dfdq2x8k&orgId=1',
      );
      expect(lines[lines.length - 1]).toBe('Grafana v11.2.0');
    });

    it('a GitHub Actions notification in Block Kit (slack-github-action): blocks, not the fallback text', async () => {
      const { channelId, hook } = await setup({ name: 'GitHub' });
      const res = await bearerPost(hook, fixture('github-actions-slack.json'));
      expect(res.status).toBe(200);
      const [stored] = await messagesOf(channelId);
      expect(stored.author.userName).toBe('GitHub');
      const paragraphs = stored.content.split('\n\n');
      expect(paragraphs).toEqual([
        '### CI failed on main',
        '**[Build #482](https://github.com/octo-org/api/actions/runs/9431176512)** failed for `octo-org/api`',
        [
          '**Branch:**',
          'main',
          '**Commit:**',
          '[a1b2c3d](https://github.com/octo-org/api/commit/a1b2c3d4e5f60718293a4b5c6d7e8f9012345678)',
          '**Author:**',
          'octocat',
          '**Workflow:**',
          'CI / test (20.x)',
        ].join('\n'),
        'Triggered by push to main & deploy is on hold',
        '---',
        '[View run](https://github.com/octo-org/api/actions/runs/9431176512)',
      ]);
    });

    it('a Discord embed (Uptime Kuma): title and fields, with its name and avatar', async () => {
      const { channelId, hook } = await setup();
      const res = await hookPost(hook, fixture('discord-embed.json'));
      expect(res.status).toBe(200);
      const [stored] = await messagesOf(channelId);
      expect(stored.author).toMatchObject({
        userName: 'Uptime Kuma',
        avatarUrl: 'https://raw.githubusercontent.com/louislam/uptime-kuma/master/public/icon.png',
      });
      expect(stored.content).toBe(
        [
          '**❌ Your service api.example.com went down. ❌**',
          '**Service Name**: api.example.com',
          '**Service URL**: https://api.example.com/health',
          '**Time (UTC)**: 2024-06-10 08:15:02',
          '**Error**: connect ECONNREFUSED 10.0.0.12:443',
        ].join('\n'),
      );
    });
  });

  describe('bot identity per message', () => {
    it("uses username and icon_url for that message only; the webhook's name and avatar otherwise", async () => {
      const { channelId, hook } = await setup({
        name: 'Default Bot',
        avatarUrl: 'https://cdn.example.com/default.png',
      });
      expect(
        (await bearerPost(hook, { text: 'one', username: 'Override', icon_url: 'https://x.example/o.png' })).status,
      ).toBe(200);
      expect((await bearerPost(hook, { content: 'two' })).status).toBe(200);
      expect(
        (await hookPost(hook, { message: 'three', username: '   ', icon_url: 'javascript:alert(1)' })).status,
      ).toBe(200);
      const stored = await messagesOf(channelId);
      expect(stored.map((m) => [m.content, m.author.userName, m.author.avatarUrl])).toEqual([
        ['one', 'Override', 'https://x.example/o.png'],
        ['two', 'Default Bot', 'https://cdn.example.com/default.png'],
        ['three', 'Default Bot', 'https://cdn.example.com/default.png'],
      ]);
      // The author id stays the webhook's: a username cannot impersonate a member.
      expect(new Set(stored.map((m) => m.author.id))).toEqual(new Set([`webhook:${hook.id}`]));
    });

    it('resolves Slack broadcasts and links in text', async () => {
      const { channelId, hook } = await setup();
      const res = await bearerPost(hook, {
        text: '<!channel> build <https://ci.example/7|#7> is *red* &amp; blocking',
      });
      expect(res.status).toBe(200);
      const [stored] = await messagesOf(channelId);
      expect(stored.content).toBe('@channel build [#7](https://ci.example/7) is **red** & blocking');
      expect(stored.mentions).toEqual([{ type: 'channel' }]);
    });

    it('refuses a body with no text and nothing to render, storing nothing', async () => {
      const { channelId, hook } = await setup();
      expectError(
        await bearerPost(hook, { username: 'x', attachments: [{ color: 'good' }] }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await bearerPost(hook, { text: '   ' }), 400, 'VALIDATION_FAILED');
      expectError(await bearerPost(hook, { text: 42 }), 400, 'VALIDATION_FAILED');
      expectError(await bearerPost(hook, { embeds: 'nope' }), 400, 'VALIDATION_FAILED');
      expect(await messagesOf(channelId)).toEqual([]);
    });

    it('cuts an over-long rendered alert with a mark instead of losing it', async () => {
      const { channelId, hook } = await setup();
      const attachments = Array.from({ length: 40 }, (_, i) => ({ title: `alert ${i}`, text: 'x'.repeat(600) }));
      const res = await bearerPost(hook, { text: 'Many alerts', attachments });
      expect(res.status).toBe(200);
      const [stored] = await messagesOf(channelId);
      expect(stored.content).toHaveLength(16_000);
      expect(stored.content.startsWith('Many alerts\n\n**alert 0**')).toBe(true);
      expect(stored.content.endsWith('\n…')).toBe(true);
    });
  });

  describe('presentation fields no database text can hold', () => {
    it('reads a username or avatar with control characters as absent, and the batch around it is written', async () => {
      const { channelId, hook } = await setup();
      const results = await Promise.all([
        bearerPost(hook, { content: 'odd one', username: 'evil\u0000bot', avatar_url: 'http://x.io/\u0000' }),
        ...Array.from({ length: 30 }, (_, i) => bearerPost(hook, { content: `line ${i}` })),
      ]);
      expect(results.map((r) => r.status)).toEqual(Array(31).fill(200));
      expect(results[0].body.message.author).toMatchObject({ userName: 'Ops Bot', avatarUrl: null });
      expect(await messagesOf(channelId)).toHaveLength(31);
      expectError(
        await admin.api.post('/webhooks', { name: 'nul', channelId, avatarUrl: 'https://x.io/\u0000' }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('posting into a thread', () => {
    it('replies with Slack thread_ts, Discord ?thread_id= or a body thread_id, on both URLs', async () => {
      const { channelId, hook } = await setup();
      const stream = await SseClient.open(`${app.baseUrl}/events`, { token: member.token });
      try {
        const parent = (await bearerPost(hook, { content: 'Incident #12 opened' })).body.message;
        const slack = await bearerPost(hook, { text: 'update 1', thread_ts: parent.id });
        expect(slack.status).toBe(200);
        expect(slack.body.message).toMatchObject({ threadId: parent.id, content: 'update 1', channelId });
        expect((await hookPost(hook, { content: 'update 2' }, `?thread_id=${parent.id}`)).text).toBe('ok');
        expect((await bearerPost(hook, { content: 'update 3', thread_id: Number(parent.id) })).status).toBe(200);

        const replies = (await member.api.get(`/messages/${parent.id}/thread`)).body.replies as Array<{
          content: string;
          author: { userName: string; isBot: boolean };
        }>;
        expect(replies.map((r) => r.content)).toEqual(['update 1', 'update 2', 'update 3']);
        expect(replies.every((r) => r.author.isBot)).toBe(true);
        // Replies stay out of the channel's top level; the parent counts them.
        const top = await messagesOf(channelId);
        expect(top.map((m) => m.content)).toEqual(['Incident #12 opened']);
        expect(top[0].threadMeta).toMatchObject({ replyCount: 3 });

        const events = await stream.waitForType('NEW_THREAD_REPLY', 3);
        expect(events[0].payload).toMatchObject({
          parentMessageId: parent.id,
          channelId,
          reply: { id: slack.body.message.id, content: 'update 1', author: { isBot: true } },
          threadMeta: { replyCount: 1 },
        });
      } finally {
        stream.close();
      }
    });

    it('answers 404 for a parent that is missing, elsewhere or not a Parley id, and 400 for a reply as parent', async () => {
      const { channelId, hook } = await setup();
      const other = await setup();
      const parent = (await bearerPost(hook, { content: 'parent' })).body.message;
      const reply = (await bearerPost(hook, { content: 'reply', thread_ts: parent.id })).body.message;
      const elsewhere = (await bearerPost(other.hook, { content: 'other channel' })).body.message;
      const foreignAdmin = await app.given.workspace();
      const foreignChannel = await app.given.channel(foreignAdmin);
      const foreignHook = await app.given.webhook(foreignAdmin, foreignChannel.id);
      const foreign = (await bearerPost(foreignHook, { content: 'other workspace' })).body.message;

      for (const threadTs of ['999999999999', elsewhere.id, foreign.id, '1700000000.123456', 'abc']) {
        expectError(await bearerPost(hook, { text: 'lost?', thread_ts: threadTs }), 404, 'MESSAGE_NOT_FOUND');
      }
      expectError(await bearerPost(hook, { text: 'nested', thread_ts: reply.id }), 400, 'THREAD_PARENT_NOT_TOP_LEVEL');
      expectError(await bearerPost(hook, { text: 'bad', thread_ts: { ts: 1 } }), 400, 'VALIDATION_FAILED');
      const hookAnswer = await hookPost(hook, { message: 'lost' }, '?thread_id=999999999999');
      expect(hookAnswer.status).toBe(404);
      expect(hookAnswer.body).toMatchObject({ code: 'MESSAGE_NOT_FOUND' });

      const replies = (await member.api.get(`/messages/${parent.id}/thread`)).body.replies as unknown[];
      expect(replies).toHaveLength(1);
      expect((await messagesOf(channelId)).map((m) => m.content)).toEqual(['parent']);
    });

    it('refuses a thread reply from a webhook deleted by another process, even with its token cached', async () => {
      const { hook } = await setup();
      const parent = (await bearerPost(hook, { content: 'parent' })).body.message;
      const pg = new Client({ connectionString: app.db.url });
      await pg.connect();
      try {
        await pg.query('DELETE FROM webhooks WHERE id = $1', [hook.id]);
      } finally {
        await pg.end();
      }
      expectError(await bearerPost(hook, { content: 'too late', thread_ts: parent.id }), 401, 'INVALID_WEBHOOK_TOKEN');
      expect((await member.api.get(`/messages/${parent.id}/thread`)).body.replies).toEqual([]);
    });
  });
});
