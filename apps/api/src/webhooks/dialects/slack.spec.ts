import { renderAttachments, renderBlocks } from './slack';

describe('renderAttachments', () => {
  it('renders pretext, author, linked title, text, fields and footer in that order', () => {
    const out = renderAttachments([
      {
        pretext: '<!here|here>',
        author_name: 'Prometheus',
        title: 'Disk full',
        title_link: 'https://am.example/#/alerts',
        text: '*Host:* db-1',
        fields: [
          { title: 'Severity', value: 'critical', short: true },
          { title: 'Runbook', value: 'line 1\nline 2' },
          { value: 'no title' },
          'junk',
        ],
        footer: 'Alertmanager',
        fallback: 'should not show',
        color: 'danger',
      },
    ]);
    expect(out).toBe(
      [
        '@here',
        'Prometheus',
        '**[Disk full](https://am.example/#/alerts)**',
        '**Host:** db-1',
        '**Severity**: critical',
        '**Runbook**\nline 1\nline 2',
        'no title',
        'Alertmanager',
      ].join('\n'),
    );
  });

  it('uses the fallback only when nothing else renders, and separates attachments by a blank line', () => {
    expect(renderAttachments([{ fallback: 'only this', color: 'good' }, { title: 'second' }])).toBe(
      'only this\n\n**second**',
    );
  });

  it('ignores what is not an array of objects', () => {
    expect(renderAttachments('nope')).toBe('');
    expect(renderAttachments({ title: 'x' })).toBe('');
    expect(renderAttachments([null, 1, [], { color: 'red' }])).toBe('');
    expect(renderAttachments([{ title: 42, text: { a: 1 } }])).toBe('');
  });

  it('reads at most 100 attachments', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ text: `n${i}` }));
    expect(renderAttachments(many).split('\n\n')).toHaveLength(100);
  });
});

describe('renderBlocks', () => {
  it('renders header, section text and fields, context, divider and button links', () => {
    const out = renderBlocks([
      { type: 'header', text: { type: 'plain_text', text: 'Deploy *done*' } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*Service:* <https://svc.example|api>' },
        fields: [
          { type: 'mrkdwn', text: '*Env:* prod' },
          { type: 'plain_text', text: '*literal*' },
        ],
        accessory: { type: 'button', text: { type: 'plain_text', text: 'Open' }, url: 'https://svc.example/open' },
      },
      {
        type: 'context',
        elements: [
          { type: 'image', image_url: 'https://x/i.png', alt_text: 'logo' },
          { type: 'mrkdwn', text: 'by <@U1|ann>' },
          { type: 'plain_text', text: 'at noon' },
        ],
      },
      { type: 'divider' },
      {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Logs' }, url: 'https://logs.example' },
          { type: 'button', text: { type: 'plain_text', text: 'Ack' }, action_id: 'ack' },
        ],
      },
      { type: 'image', image_url: 'https://x/graph.png', alt_text: 'CPU graph' },
      { type: 'input', label: { type: 'plain_text', text: 'ignored' } },
    ]);
    expect(out).toBe(
      [
        '### Deploy *done*',
        '**Service:** [api](https://svc.example)\n**Env:** prod\n*literal*\n[Open](https://svc.example/open)',
        'by @ann · at noon',
        '---',
        '[Logs](https://logs.example)',
        '[CPU graph](https://x/graph.png)',
      ].join('\n\n'),
    );
  });

  it('renders simple rich text: styled runs, links, mentions, lists, quotes and code', () => {
    const out = renderBlocks([
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: 'Build ' },
              { type: 'text', text: 'failed', style: { bold: true } },
              { type: 'text', text: ' on ' },
              { type: 'link', url: 'https://ci.example/1', text: 'run 1' },
              { type: 'text', text: ' ' },
              { type: 'emoji', name: 'fire', unicode: '1f525' },
              { type: 'text', text: ' ' },
              { type: 'broadcast', range: 'here' },
              { type: 'user', user_id: 'U123' },
            ],
          },
          {
            type: 'rich_text_list',
            style: 'ordered',
            elements: [
              { type: 'rich_text_section', elements: [{ type: 'text', text: 'first' }] },
              { type: 'rich_text_section', elements: [{ type: 'text', text: 'code', style: { code: true } }] },
            ],
          },
          { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted\nlines' }] },
          { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'exit 1' }] },
        ],
      },
    ]);
    expect(out).toBe(
      [
        'Build **failed** on [run 1](https://ci.example/1) 🔥 @here@U123',
        '1. first',
        '2. `code`',
        '> quoted\n> lines',
        '```\nexit 1\n```',
      ].join('\n'),
    );
  });

  it('survives hostile nesting and junk', () => {
    let deep: unknown = { type: 'text', text: 'bottom' };
    for (let i = 0; i < 50; i++) deep = { type: 'rich_text_quote', elements: [deep] };
    expect(() => renderBlocks([{ type: 'rich_text', elements: [deep] }])).not.toThrow();
    expect(renderBlocks([null, 'x', { type: 'section' }, { type: 'header', text: 'not an object' }])).toBe('');
    expect(renderBlocks([{ type: 'rich_text', elements: [{ type: 'emoji', unicode: 'zzzz' }] }])).toBe('');
  });
});
