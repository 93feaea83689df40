import { parseInvocation } from './args';
import { COMMANDS } from './commands';
import { UsageError } from './errors';

const parse = (...argv: string[]) => parseInvocation(argv, COMMANDS);
const usageError = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

describe('parseInvocation', () => {
  it('reads the command and its options', () => {
    expect(parse('send', '--room', 'X7K9M2P', '--content', 'Build passed', '--sender', 'CI')).toMatchObject({
      kind: 'run',
      command: { name: 'send' },
      values: { room: 'X7K9M2P', content: 'Build passed', sender: 'CI' },
      json: false,
    });
  });

  it('takes --opt=value and global options before or after the command', () => {
    const before = parse('--base', 'http://h:1', '--json', 'read', '--room=ABCDEFG');
    const after = parse('read', '--room=ABCDEFG', '--json', '--base=http://h:1');
    for (const invocation of [before, after]) {
      expect(invocation).toMatchObject({ kind: 'run', values: { room: 'ABCDEFG' }, base: 'http://h:1', json: true });
    }
    // Global options are not handed to the command.
    expect(Object.keys((before as { values: object }).values)).toEqual(['room']);
  });

  it('answers help for --help, -h, "help" and "help <command>", even without required options', () => {
    expect(parse('--help')).toEqual({ kind: 'help' });
    expect(parse('help')).toEqual({ kind: 'help' });
    expect(parse('help', 'tail')).toMatchObject({ kind: 'help', command: { name: 'tail' } });
    expect(parse('send', '--help')).toMatchObject({ kind: 'help', command: { name: 'send' } });
    expect(parse('destroy', '-h')).toMatchObject({ kind: 'help', command: { name: 'destroy' } });
  });

  it.each([
    [[], 'no command given', undefined],
    [['--json'], 'missing command', undefined],
    [['frobnicate'], 'unknown command "frobnicate"', undefined],
    [['help', 'frobnicate'], 'unknown command "frobnicate"', undefined],
    [['read'], 'missing --room CODE', 'read'],
    [['read', '--room'], '--room needs a value', 'read'],
    [['read', '--room', 'A', '--bogus'], 'unknown option --bogus', 'read'],
    [['read', '--room', 'A', 'extra'], 'unexpected argument "extra"', 'read'],
    [['read', '--room', 'A', '--name', 'x'], 'unknown option --name', 'read'],
    [['send', '--room', 'A'], 'give exactly one of --content TEXT and --file PATH', 'send'],
    [
      ['send', '--room', 'A', '--content', 'x', '--file', 'f'],
      'give exactly one of --content TEXT and --file PATH',
      'send',
    ],
    [['new-webhook', '--room', 'A'], 'missing --label LABEL', 'new-webhook'],
    [['webhook-send', '--content', 'x'], 'missing --url URL', 'webhook-send'],
    [['destroy', '--room', 'A'], 'missing --token ADMIN_TOKEN', 'destroy'],
    [
      ['send', '--room', 'A', '--content', '-1'],
      '--content needs a value (write --content=-VALUE for one that starts with a dash)',
      'send',
    ],
  ])('%j is a usage error: %s', (argv, message, command) => {
    const error = usageError(...argv);
    expect(error.message).toBe(message);
    expect(error.command).toBe(command);
    expect(error.exitCode).toBe(2);
  });

  it('keeps a value that starts with a dash when written --opt=value', () => {
    expect(parse('send', '--room', 'A', '--content=-1')).toMatchObject({ values: { content: '-1' } });
  });
});
