import * as fs from 'node:fs';
import * as path from 'node:path';
import { BadRequestError, MAX_MESSAGE_CONTENT_LENGTH } from '@parley/common';
import { isHttpUrl, readWebhookPost } from './webhook-post';

const fixture = (name: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../../test/fixtures/webhooks', name), 'utf8'));

const refused = (body: unknown, query?: unknown): string => {
  try {
    readWebhookPost(body, query);
  } catch (e) {
    expect(e).toBeInstanceOf(BadRequestError);
    return (e as BadRequestError).message;
  }
  throw new Error('expected a 400');
};

describe('readWebhookPost', () => {
  it('passes a plain {content} through untouched (the same string) with nothing else set', () => {
    const content = 'Build #42 passed *successfully* <see logs> & more';
    const post = readWebhookPost({ content });
    expect(post).toEqual({ content, username: undefined, avatarUrl: undefined, threadId: undefined });
    expect(post.content).toBe(content);
  });

  it('reads content, then the hook API message, then Slack text', () => {
    expect(readWebhookPost({ message: 'from the hook API' }).content).toBe('from the hook API');
    expect(readWebhookPost({ text: 'from Slack' }).content).toBe('from Slack');
    expect(readWebhookPost({ content: 'c', message: 'm', text: 't' }).content).toBe('c');
    expect(readWebhookPost({ content: null, message: 'm', text: 't' }).content).toBe('m');
  });

  it('converts Slack mrkdwn in `text` only', () => {
    expect(readWebhookPost({ text: '*Deploy* <https://x.example|done> &amp; <!here>' }).content).toBe(
      '**Deploy** [done](https://x.example) & @here',
    );
    expect(readWebhookPost({ content: '*as written* &amp;' }).content).toBe('*as written* &amp;');
    expect(readWebhookPost({ message: '<https://x|y>' }).content).toBe('<https://x|y>');
  });

  it('shows blocks instead of Slack text, which is their notification fallback', () => {
    const post = readWebhookPost({
      text: 'fallback only',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Shown*' } }],
    });
    expect(post.content).toBe('**Shown**');
    // Blocks that render to nothing leave the text.
    expect(readWebhookPost({ text: 'kept', blocks: [{ type: 'input' }] }).content).toBe('kept');
  });

  it('appends attachments and embeds below the text, each a paragraph', () => {
    expect(readWebhookPost({ text: 'Heads up', attachments: [{ title: 'Disk', text: 'full' }] }).content).toBe(
      'Heads up\n\n**Disk**\nfull',
    );
    expect(readWebhookPost({ content: 'New release', embeds: [{ title: 'v2', description: 'notes' }] }).content).toBe(
      'New release\n\n**v2**\nnotes',
    );
    expect(readWebhookPost({ content: '', embeds: [{ description: 'only the embed' }] }).content).toBe(
      'only the embed',
    );
    expect(readWebhookPost({ attachments: [{ fallback: 'fallback' }] }).content).toBe('fallback');
  });

  it('leaves an empty or missing text to the caller when the rich parts render nothing', () => {
    expect(readWebhookPost({ text: '', attachments: [{ color: 'good' }] }).content).toBe('');
    expect(refused({ attachments: [] })).toMatch(/content is required/);
  });

  it('cuts rendered parts at the length limit with a mark, but leaves plain text to the 413 check', () => {
    const long = 'x'.repeat(MAX_MESSAGE_CONTENT_LENGTH);
    const rendered = readWebhookPost({ text: 'intro', attachments: [{ text: long }] }).content;
    expect(rendered).toHaveLength(MAX_MESSAGE_CONTENT_LENGTH);
    expect(rendered.endsWith('\n…')).toBe(true);
    expect(rendered.startsWith('intro\n\nxxx')).toBe(true);
    const emoji = readWebhookPost({ attachments: [{ text: '😀'.repeat(MAX_MESSAGE_CONTENT_LENGTH) }] }).content;
    expect(emoji.length).toBeLessThanOrEqual(MAX_MESSAGE_CONTENT_LENGTH);
    expect(() => encodeURIComponent(emoji)).not.toThrow(); // no lone surrogate
    expect(readWebhookPost({ content: `${long}y` }).content).toHaveLength(MAX_MESSAGE_CONTENT_LENGTH + 1);
  });

  it('refuses a body that is not an object, or whose text is not a string', () => {
    for (const body of [undefined, null, 'hi', 42, [{ content: 'x' }]]) expect(refused(body)).toMatch(/JSON object/);
    expect(refused({})).toMatch(/content is required/);
    expect(refused({ content: 42 })).toBe('content must be a string');
    expect(refused({ message: { text: 'x' } })).toBe('message must be a string');
    expect(refused({ text: ['x'] })).toBe('text must be a string');
  });

  it('takes username per message, trimmed and capped at 80 characters; ignores unusable ones', () => {
    expect(readWebhookPost({ content: 'x', username: '  Alertmanager ' }).username).toBe('Alertmanager');
    expect(readWebhookPost({ content: 'x', username: 'n'.repeat(200) }).username).toBe('n'.repeat(80));
    expect(readWebhookPost({ content: 'x', username: `${'n'.repeat(79)}😀` }).username).toBe('n'.repeat(79));
    for (const username of ['', '   ', 42, { a: 1 }, 'nul\u0000name']) {
      expect(readWebhookPost({ content: 'x', username }).username).toBeUndefined();
    }
  });

  it('takes avatar_url (Discord) or icon_url (Slack) when it is an http(s) URL', () => {
    expect(readWebhookPost({ content: 'x', avatar_url: 'https://a.example/i.png' }).avatarUrl).toBe(
      'https://a.example/i.png',
    );
    expect(readWebhookPost({ content: 'x', icon_url: 'http://a.example/i.png' }).avatarUrl).toBe(
      'http://a.example/i.png',
    );
    for (const url of ['javascript:alert(1)', 'data:image/png;base64,AAAA', '/relative.png', 'https://', 42]) {
      expect(readWebhookPost({ content: 'x', icon_url: url }).avatarUrl).toBeUndefined();
    }
    expect(
      readWebhookPost({ content: 'x', icon_url: `https://a.example/${'p'.repeat(2000)}` }).avatarUrl,
    ).toBeUndefined();
  });

  it('names a thread by ?thread_id=, then body thread_id, then thread_ts', () => {
    expect(readWebhookPost({ content: 'x', thread_ts: '7' }).threadId).toBe('7');
    expect(readWebhookPost({ content: 'x', thread_id: 8, thread_ts: '7' }).threadId).toBe('8');
    expect(readWebhookPost({ content: 'x', thread_id: '8' }, '9').threadId).toBe('9');
    expect(readWebhookPost({ content: 'x', thread_ts: '  ' }).threadId).toBeUndefined();
    expect(readWebhookPost({ content: 'x', thread_ts: '1700000000.123456' }).threadId).toBe('1700000000.123456');
    expect(refused({ content: 'x', thread_ts: { id: 1 } })).toBe('thread_ts must be a message id');
    expect(refused({ content: 'x' }, ['1', '2'])).toBe('thread_id must be a message id');
    expect(refused({ content: 'x', thread_id: 1.5 })).toBe('thread_id must be a message id');
  });

  it('ignores fields it does not know', () => {
    const post = readWebhookPost({ content: 'x', tts: true, channel: '#ops', link_names: 1, extra: { a: [1] } });
    expect(post.content).toBe('x');
  });

  describe('fixtures as the tools send them', () => {
    it('Alertmanager (Slack notifier, default-style template)', () => {
      const post = readWebhookPost(fixture('alertmanager-slack.json'));
      expect(post.username).toBe('AlertManager');
      expect(post.content).toContain(
        '**[[FIRING:2] HighErrorRate (api production)](http://alertmanager.example.com:9093/#/alerts?receiver=slack-notifications)**',
      );
      expect(post.content).toContain('**Alert:** 5xx ratio above 5% on api-1 - `critical`');
      expect(post.content).toContain(
        '[:chart_with_upwards_trend: Graph](http://prometheus.example.com:9090/graph?g0.expr=job%3Dapi&g0.tab=1)',
      );
      expect(post.content).not.toContain('fallback');
    });

    it('Grafana (Slack contact point)', () => {
      const post = readWebhookPost(fixture('grafana-slack.json'));
      expect(post).toMatchObject({ username: 'Grafana', avatarUrl: 'https://grafana.com/static/assets/img/fav32.png' });
      expect(post.content.split('\n').slice(0, 3)).toEqual([
        '@here',
        '**[[FIRING:1] DiskSpaceLow Infrastructure (db-1:9100)](https://grafana.example.com/alerting/grafana/fdq2x8k/view?orgId=1)**',
        '**Firing**',
      ]);
      expect(post.content).toContain(' - summary = Disk on db-1 is 91% full');
      expect(post.content.endsWith('Grafana v11.2.0')).toBe(true);
    });

    it('GitHub Actions (slack-github-action, Block Kit)', () => {
      const post = readWebhookPost(fixture('github-actions-slack.json'));
      expect(post.content.split('\n\n')[0]).toBe('### CI failed on main');
      expect(post.content).toContain(
        '**[Build #482](https://github.com/octo-org/api/actions/runs/9431176512)** failed for `octo-org/api`',
      );
      expect(post.content).toContain('**Branch:**\nmain');
      expect(post.content).toContain('Triggered by push to main & deploy is on hold');
      expect(post.content).not.toContain('GitHub Action build result');
    });

    it('Discord embed (Uptime Kuma)', () => {
      const post = readWebhookPost(fixture('discord-embed.json'));
      expect(post.username).toBe('Uptime Kuma');
      expect(post.avatarUrl).toMatch(/^https:\/\/raw\.githubusercontent\.com\//);
      expect(post.content.split('\n')).toEqual([
        '**❌ Your service api.example.com went down. ❌**',
        '**Service Name**: api.example.com',
        '**Service URL**: https://api.example.com/health',
        '**Time (UTC)**: 2024-06-10 08:15:02',
        '**Error**: connect ECONNREFUSED 10.0.0.12:443',
      ]);
    });
  });
});

describe('isHttpUrl', () => {
  it('accepts absolute http(s) URLs up to 2000 characters', () => {
    expect(isHttpUrl('https://cdn.example/bot.png')).toBe(true);
    expect(isHttpUrl('http://localhost:8080/a.png')).toBe(true);
    expect(isHttpUrl(`https://x.example/${'a'.repeat(1980)}`)).toBe(true);
    expect(isHttpUrl(`https://x.example/${'a'.repeat(1990)}`)).toBe(false);
    expect(isHttpUrl('ftp://x.example/a.png')).toBe(false);
    expect(isHttpUrl('https://exa mple.com/')).toBe(false);
  });
});
