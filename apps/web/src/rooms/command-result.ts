import { CommandInfo, CommandResult } from './room-types';

/** A command's answer as the page shows it: only to the one who ran it, in the log. */
export interface CommandNotice {
  title: string;
  lines: string[];
}

const isCommandList = (value: unknown): value is CommandInfo[] =>
  Array.isArray(value) && value.every((c) => typeof c === 'object' && c !== null && 'usage' in c);

const plain = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.join(', ');
  }
  return undefined;
};

/**
 * Turns `{status, command, …}` into readable lines. The known shapes (`/help`, `/who`, `/invite`)
 * get their own wording; any other command shows its plain fields, so a command added on the
 * server shows something sensible without a change here.
 */
export function describeCommandResult(result: CommandResult): CommandNotice {
  const { status, command, ...fields } = result;
  if (isCommandList(fields.commands)) {
    return {
      title: 'Commands',
      lines: fields.commands.map(
        (c) => `${c.usage}${c.description ? ` — ${c.description}` : ''}${c.admin ? ' (room admin only)' : ''}`,
      ),
    };
  }
  if (command === 'who' && Array.isArray(fields.who)) {
    return { title: 'Here now', lines: [fields.who.length === 0 ? 'Nobody' : fields.who.map(String).join(', ')] };
  }
  if (command === 'invite' && typeof fields.url === 'string') {
    return { title: 'Invite', lines: [`Link: ${fields.url}`, ...(fields.code ? [`Code: ${plain(fields.code)}`] : [])] };
  }
  if (status === 'destroyed') return { title: `/${command}`, lines: ['The room was destroyed.'] };
  const lines = Object.entries(fields).flatMap(([key, value]) => {
    const text = plain(value);
    return text === undefined ? [] : [`${key}: ${text}`];
  });
  return { title: `/${command}`, lines: lines.length > 0 ? lines : [status === 'ok' ? 'Done.' : status] };
}

/** A line typed in the composer that is a command: `/name …`. `//…` posts a message starting with `/`. */
export function commandOf(text: string): string | undefined {
  const line = text.trim();
  return /^\/[A-Za-z]/.test(line) ? line : undefined;
}

export const messageOf = (text: string): string =>
  text.trimStart().startsWith('//') ? text.trimStart().slice(1) : text;
