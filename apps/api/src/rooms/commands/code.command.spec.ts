import { BadRequestError } from '@parley/common';
import type { EphemeralRoomRecord } from '@parley/database';
import { CodeCommand, fenced, parseCodeArgs } from './code.command';
import { CommandPoster } from './command-poster';
import { RoomCommandContext } from './room-command';

// `/code [lang] <code>` as docs/api.md § Commands states it: the registry hands the command the
// text after `/code` with only leading spaces and tabs removed (`rawArgs`), so a newline right
// after the name reaches the parser.
describe('/code arguments (parseCodeArgs)', () => {
  describe('one line', () => {
    it('takes a language-shaped first word as the language when code follows', () => {
      expect(parseCodeArgs('js console.log(1)')).toEqual({ lang: 'js', code: 'console.log(1)' });
      expect(parseCodeArgs('py\tprint(1)')).toEqual({ lang: 'py', code: 'print(1)' });
      // Only the gap after the language goes; the code's own spacing stays.
      expect(parseCodeArgs('sh   echo  "a  b"  ')).toEqual({ lang: 'sh', code: 'echo  "a  b"' });
    });

    it('is all code, without a language, when it is a single word', () => {
      expect(parseCodeArgs('make')).toEqual({ lang: '', code: 'make' });
      expect(parseCodeArgs('  make  ')).toEqual({ lang: '', code: 'make' });
      expect(parseCodeArgs('python')).toEqual({ lang: '', code: 'python' });
    });

    it('is all code when the first word is not language-shaped', () => {
      for (const line of ['(x) => x + 1', '-v --verbose', '$ npm test', 'a/b c', '_private x', 'x=1 y=2', '`ls` -la']) {
        expect(parseCodeArgs(line)).toEqual({ lang: '', code: line });
      }
    });

    it('reads an ambiguous command line as language + code, as the contract says (the first word looks like one)', () => {
      expect(parseCodeArgs('ls -la')).toEqual({ lang: 'ls', code: '-la' });
    });

    it('is empty for nothing or blanks (the command then refuses it)', () => {
      expect(parseCodeArgs('')).toEqual({ lang: '', code: '' });
      expect(parseCodeArgs('   \t ')).toEqual({ lang: '', code: '' });
    });
  });

  describe('several lines', () => {
    it('takes the rest of the first line as the language and the lines after it as the code', () => {
      expect(parseCodeArgs('python\nprint(1)\n  print(2)\n')).toEqual({ lang: 'python', code: 'print(1)\n  print(2)' });
      // The language is trimmed; the code keeps its indentation and inner blank lines, loses trailing blanks.
      expect(parseCodeArgs('  ts  \n  const a = 1;\n\n  const b = 2;  \n\n ')).toEqual({
        lang: 'ts',
        code: '  const a = 1;\n\n  const b = 2;',
      });
    });

    it('has no language when the first line is empty (`/code` + newline)', () => {
      expect(parseCodeArgs('\nls -la')).toEqual({ lang: '', code: 'ls -la' });
      expect(parseCodeArgs('   \n  indented')).toEqual({ lang: '', code: '  indented' });
      // The lines after the first are the code exactly, a leading blank line included.
      expect(parseCodeArgs('\n\nafter a blank line')).toEqual({ lang: '', code: '\nafter a blank line' });
    });

    it('is all code, trimmed, when the first line is not a language name', () => {
      expect(parseCodeArgs('js console.log(1)\nconsole.log(2)')).toEqual({
        lang: '',
        code: 'js console.log(1)\nconsole.log(2)',
      });
      expect(parseCodeArgs('  if (x) {\n  y();\n}  \n')).toEqual({ lang: '', code: 'if (x) {\n  y();\n}' });
    });

    it('keeps a language with no code after it as empty code (the command then refuses it)', () => {
      expect(parseCodeArgs('ts\n')).toEqual({ lang: 'ts', code: '' });
      expect(parseCodeArgs('ts\n   \n\t\n')).toEqual({ lang: 'ts', code: '' });
      expect(parseCodeArgs('\n  \n')).toEqual({ lang: '', code: '' });
    });

    it('reads Windows line ends: the language without its CR, the code without trailing ones', () => {
      expect(parseCodeArgs('py\r\nprint(1)\r\nprint(2)\r\n')).toEqual({ lang: 'py', code: 'print(1)\r\nprint(2)' });
    });
  });

  describe('language names', () => {
    it('accepts a letter or digit, then up to 19 of letters, digits and _ + # . -', () => {
      for (const lang of ['c', 'C', 'c++', 'c#', 'f#', 'objective-c', 'node.js', 'x86_64', '6502', 'TypeScript']) {
        expect(parseCodeArgs(`${lang} x`)).toEqual({ lang, code: 'x' });
        expect(parseCodeArgs(`${lang}\nx`)).toEqual({ lang, code: 'x' });
      }
      const twenty = 'a'.repeat(20);
      expect(parseCodeArgs(`${twenty} x`)).toEqual({ lang: twenty, code: 'x' });
      expect(parseCodeArgs(`${twenty}\nx`)).toEqual({ lang: twenty, code: 'x' });
    });

    it('refuses longer names, a leading symbol and other characters: the text is code then', () => {
      const long = 'a'.repeat(21);
      expect(parseCodeArgs(`${long} x`)).toEqual({ lang: '', code: `${long} x` });
      expect(parseCodeArgs(`${long}\nx`)).toEqual({ lang: '', code: `${long}\nx` });
      for (const lang of ['.js', '+x', '#!', '-sh', 'c/c++', 'dé', 'a`b', 'a:b', 'a"b']) {
        expect(parseCodeArgs(`${lang} x`)).toEqual({ lang: '', code: `${lang} x` });
        expect(parseCodeArgs(`${lang}\nx`)).toEqual({ lang: '', code: `${lang}\nx` });
      }
    });
  });
});

describe('/code fences (fenced)', () => {
  it('wraps the code in a ``` block with the language on the opening fence', () => {
    expect(fenced('js', 'console.log(1)')).toBe('```js\nconsole.log(1)\n```');
    expect(fenced('', 'make')).toBe('```\nmake\n```');
    expect(fenced('py', 'a\n\n  b')).toBe('```py\na\n\n  b\n```');
  });

  it('makes the fence longer than any run of backticks inside, so the code cannot close it', () => {
    expect(fenced('', 'a `b` c')).toBe('```\na `b` c\n```');
    expect(fenced('md', 'use ```fences```')).toBe('````md\nuse ```fences```\n````');
    expect(fenced('', '`````')).toBe('``````\n`````\n``````');
    expect(fenced('', '``` and ````` and ``')).toBe('``````\n``` and ````` and ``\n``````');
  });
});

describe('/code command', () => {
  const room = { code: 'X7K9M2P' } as EphemeralRoomRecord;
  const contextOf = (rawArgs: string): RoomCommandContext => ({
    room,
    args: rawArgs.trim(),
    rawArgs,
    adminToken: undefined,
    caller: { session: 's'.repeat(43), name: 'Ann', admin: false },
  });
  const setUp = () => {
    const post = jest.fn((_context: RoomCommandContext, content: string) => Promise.resolve({ id: 1, content }));
    return { post, command: new CodeCommand({ post } as unknown as CommandPoster) };
  };

  it('posts the parsed code as a fenced block and answers with the message', async () => {
    const { post, command } = setUp();
    const context = contextOf('python\nprint(1)\n');
    await expect(command.run(context)).resolves.toEqual({
      status: 'ok',
      command: 'code',
      message: { id: 1, content: '```python\nprint(1)\n```' },
    });
    expect(post).toHaveBeenCalledWith(context, '```python\nprint(1)\n```');
  });

  it('refuses a missing body with a usage error (400 COMMAND_USAGE) and posts nothing', async () => {
    const { post, command } = setUp();
    for (const rawArgs of ['', '   ', '\n', 'ts\n', 'ts\n  \n', '\n\t\n']) {
      const refused = command.run(contextOf(rawArgs));
      await expect(refused).rejects.toBeInstanceOf(BadRequestError);
      await expect(refused).rejects.toMatchObject({ code: 'COMMAND_USAGE' });
      await expect(refused).rejects.toThrow(/Some code is required\. Usage: \/code \[lang\]/);
    }
    expect(post).not.toHaveBeenCalled();
  });
});
