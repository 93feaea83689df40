import { type Command, type Context, ROOM_OPTION, roomCode, roomPath } from '../command';
import { formatJson, formatMessage, isRoomMessage, type RoomMessage } from '../format';

export async function fetchMessages(ctx: Context, code: string): Promise<RoomMessage[]> {
  const answer = await ctx.http.get(roomPath(code, '/messages'));
  if (!Array.isArray(answer))
    throw new Error(`unexpected answer to GET /rooms/:code/messages: ${JSON.stringify(answer)}`);
  return answer.filter(isRoomMessage);
}

export const read: Command = {
  name: 'read',
  summary: "Print a room's messages (the 100 most recent), oldest first, one per line.",
  usage: '--room CODE',
  options: { room: ROOM_OPTION },
  examples: ['parley read --room X7K9M2P', 'parley read --room X7K9M2P --json > archive.json'],
  async run(ctx, values) {
    const code = roomCode(values);
    if (ctx.json) {
      ctx.out.stdout(formatJson(await ctx.http.get(roomPath(code, '/messages'))));
      return;
    }
    const messages = await fetchMessages(ctx, code);
    if (!messages.length) ctx.out.stderr(`No messages in ${code}.`);
    for (const message of messages) ctx.out.stdout(formatMessage(message, ctx.base));
  },
};
