import { renderEmbeds } from './discord';

describe('renderEmbeds', () => {
  it('renders author, linked title, description, fields and footer; one paragraph per embed', () => {
    const out = renderEmbeds([
      {
        author: { name: 'octocat', url: 'https://github.com/octocat' },
        title: '[api] New release v2.1.0',
        url: 'https://github.com/octo-org/api/releases/v2.1.0',
        description: '**Highlights**\n- faster ingest',
        fields: [
          { name: 'Tag', value: 'v2.1.0', inline: true },
          { name: 'Notes', value: 'a\nb' },
          { name: 'Empty', value: '' },
        ],
        footer: { text: 'GitHub', icon_url: 'https://x/icon.png' },
        color: 5814783,
        timestamp: '2024-06-10T08:15:02.000Z',
      },
      { title: 'Second', color: 1 },
      { url: 'https://only.example' },
    ]);
    expect(out).toBe(
      [
        'octocat',
        '**[[api] New release v2.1.0](https://github.com/octo-org/api/releases/v2.1.0)**',
        '**Highlights**\n- faster ingest',
        '**Tag**: v2.1.0',
        '**Notes**\na\nb',
        '**Empty**',
        'GitHub',
      ].join('\n') + '\n\n**Second**\n\nhttps://only.example',
    );
  });

  it('ignores what is not an array of embed objects, and reads at most 10', () => {
    expect(renderEmbeds({ title: 'x' })).toBe('');
    expect(renderEmbeds([null, 'x', { color: 3 }, { footer: 'not an object' }])).toBe('');
    const many = Array.from({ length: 20 }, (_, i) => ({ title: `t${i}` }));
    expect(renderEmbeds(many).split('\n\n')).toHaveLength(10);
  });
});
