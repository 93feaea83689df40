import { Injectable } from '@nestjs/common';
import { CommandPoster } from './command-poster';
import { RoomCommand, RoomCommandContext, RoomCommandResult, usageError } from './room-command';

const LANGUAGE = /^[A-Za-z0-9][A-Za-z0-9_+#.-]{0,19}$/;

/** The language and the code of a `/code` line (docs/api.md § Rooms, Commands). */
export function parseCodeArgs(rawArgs: string): { lang: string; code: string } {
  const newline = rawArgs.indexOf('\n');
  if (newline >= 0) {
    // Several lines: the rest of the first line is the language (or nothing), the lines after it the code.
    const first = rawArgs.slice(0, newline).trim();
    const rest = rawArgs.slice(newline + 1).replace(/\s+$/, '');
    if (first === '' || LANGUAGE.test(first)) return { lang: first, code: rest };
    return { lang: '', code: rawArgs.trim() };
  }
  // One line: `/code <lang> <code…>` when the first word is language-shaped and code follows, else all code.
  const line = rawArgs.trim();
  const match = /^(\S+)\s+(\S[\s\S]*)$/.exec(line);
  if (match && LANGUAGE.test(match[1])) return { lang: match[1], code: match[2] };
  return { lang: '', code: line };
}

/** A Markdown fenced block; the fence is longer than any run of backticks in the code. */
export function fenced(lang: string, code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${code}\n${fence}`;
}

/** `/code [lang]`: posts the rest as a fenced code block, as the caller (`/me`'s rules for the name). */
@Injectable()
export class CodeCommand implements RoomCommand {
  readonly name = 'code';
  readonly aliases = [];
  readonly usage = '/code [lang] <code>  (or /code [lang] + newline + lines of code)';
  readonly description = 'Post the text as a code block.';
  readonly admin = false;

  constructor(private readonly poster: CommandPoster) {}

  async run(context: RoomCommandContext): Promise<RoomCommandResult> {
    const { lang, code } = parseCodeArgs(context.rawArgs);
    if (code.trim() === '') throw usageError(this, 'Some code is required');
    const message = await this.poster.post(context, fenced(lang, code));
    return { status: 'ok', command: this.name, message };
  }
}
