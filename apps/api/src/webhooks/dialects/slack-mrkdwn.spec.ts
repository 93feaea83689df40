import { fromSlackMrkdwn, markdownLink } from './slack-mrkdwn';

describe('fromSlackMrkdwn', () => {
  it('returns plain text unchanged (the same string)', () => {
    const text = 'Deploy finished in 42s (see logs)';
    expect(fromSlackMrkdwn(text)).toBe(text);
  });

  it('turns Slack links into Markdown links, or bare URLs without a label', () => {
    expect(fromSlackMrkdwn('see <https://example.com/runs/1|run 1> now')).toBe(
      'see [run 1](https://example.com/runs/1) now',
    );
    expect(fromSlackMrkdwn('<https://example.com>')).toBe('https://example.com');
    expect(fromSlackMrkdwn('<mailto:ops@example.com|ops>')).toBe('[ops](mailto:ops@example.com)');
    expect(fromSlackMrkdwn('<https://example.com/a b|x>')).toBe('[x](<https://example.com/a b>)');
  });

  it('maps broadcasts to Parley mentions and user, channel and group references to names', () => {
    expect(fromSlackMrkdwn('<!here> and <!channel|channel> and <!everyone>')).toBe('@here and @channel and @channel');
    expect(fromSlackMrkdwn('ping <@U024BE7LH|bob> and <@U0001>')).toBe('ping @bob and @U0001');
    expect(fromSlackMrkdwn('in <#C024BE7LR|general>')).toBe('in #general');
    expect(fromSlackMrkdwn('<!subteam^SAZ94GDB8|@oncall> look')).toBe('@oncall look');
    expect(fromSlackMrkdwn('<!date^1392734382^{date}|Feb 18, 2014>')).toBe('Feb 18, 2014');
  });

  it('decodes the three entities Slack escapes, after the links', () => {
    expect(fromSlackMrkdwn('a &lt; b &amp;&amp; c &gt; d')).toBe('a < b && c > d');
    expect(fromSlackMrkdwn('&lt;https://evil.example|trusted&gt;')).toBe('<https://evil.example|trusted>');
    expect(fromSlackMrkdwn('&amp;lt;')).toBe('&lt;');
  });

  it('leaves angle brackets that are no Slack escape as written', () => {
    expect(fromSlackMrkdwn('if a <b and c> d')).toBe('if a <b and c> d');
    expect(fromSlackMrkdwn('<not a link>')).toBe('<not a link>');
  });

  it('converts *bold* and ~strike~, not arithmetic, bullets or code', () => {
    expect(fromSlackMrkdwn('*Alert:* disk full')).toBe('**Alert:** disk full');
    expect(fromSlackMrkdwn('~old~ new')).toBe('~~old~~ new');
    expect(fromSlackMrkdwn('2 * 3 * 4')).toBe('2 * 3 * 4');
    expect(fromSlackMrkdwn('* item one\n* item two')).toBe('* item one\n* item two');
    expect(fromSlackMrkdwn('a*b*c')).toBe('a*b*c');
    expect(fromSlackMrkdwn('**already bold**')).toBe('**already bold**');
    expect(fromSlackMrkdwn('run `rm *.tmp *` then *done*')).toBe('run `rm *.tmp *` then **done**');
    expect(fromSlackMrkdwn('```\n*x*\n```\n*y*')).toBe('```\n*x*\n```\n**y**');
  });
});

describe('markdownLink', () => {
  it('keeps balanced brackets in the label and escapes unbalanced ones', () => {
    expect(markdownLink('[FIRING:1] Disk', 'https://x')).toBe('[[FIRING:1] Disk](https://x)');
    expect(markdownLink('a ] b', 'https://x')).toBe('[a \\] b](https://x)');
    expect(markdownLink('https://x', 'https://x')).toBe('https://x');
  });
});
