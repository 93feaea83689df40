import { type Command, optionalString, roomPath } from '../command';
import { CliError, EXIT } from '../errors';
import { formatFields, formatJson } from '../format';

interface CreatedRoom {
  code: string;
  admin_token: string;
}

function isCreatedRoom(value: unknown): value is CreatedRoom {
  const room = value as Partial<CreatedRoom> | null;
  return typeof room?.code === 'string' && typeof room.admin_token === 'string';
}

export const createRoom: Command = {
  name: 'create-room',
  summary: 'Create a room; prints its code, chat URL and the one-time admin token.',
  usage: '[--name NAME]',
  options: {
    name: { type: 'string', value: 'NAME', description: 'display name for the room (up to 50 characters)' },
  },
  examples: ['parley create-room', 'parley create-room --name "Deploy log"'],
  async run(ctx, values) {
    const created = await ctx.http.post('/rooms');
    if (!isCreatedRoom(created)) throw new Error(`unexpected answer to POST /rooms: ${JSON.stringify(created)}`);
    const chatUrl = `${ctx.base}/chat/${created.code}`;
    const name = optionalString(values, 'name');

    // The admin token exists only in this answer: print the room before anything else can fail.
    let renameError: CliError | undefined;
    if (name !== undefined) {
      try {
        await ctx.http.post(roomPath(created.code, '/rename'), { form: { name } });
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        renameError = error;
      }
    }
    const named = name !== undefined && !renameError;
    if (ctx.json) {
      ctx.out.stdout(formatJson({ ...created, ...(named ? { name } : {}), chat_url: chatUrl }));
    } else {
      const rows: [string, string][] = [['Room', created.code]];
      if (named) rows.push(['Name', name]);
      rows.push(['Chat', chatUrl], ['Admin token', created.admin_token]);
      ctx.out.stdout(formatFields(rows));
      ctx.out.stdout('The admin token is shown only once: keep it to destroy the room later.');
    }
    if (renameError) {
      ctx.out.stderr(`parley: the room was created but could not be named: ${renameError.message}`);
      return renameError.exitCode;
    }
    return EXIT.ok;
  },
};
