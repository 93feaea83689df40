import * as path from 'node:path';
import { type Command, optionalString, ROOM_OPTION, roomCode, roomPath } from '../command';
import { UsageError } from '../errors';
import { formatJson } from '../format';

function messageId(answer: unknown): string | undefined {
  const fields = (answer ?? {}) as { id?: unknown; message_id?: unknown };
  const id = fields.id ?? fields.message_id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
}

export const send: Command = {
  name: 'send',
  summary: 'Post a text or a file to a room (the room code is the credential).',
  usage: '--room CODE (--content TEXT | --file PATH) [--sender NAME]',
  options: {
    room: ROOM_OPTION,
    content: { type: 'string', value: 'TEXT', description: 'the message text' },
    file: { type: 'string', value: 'PATH', description: 'a file to upload instead of a text' },
    sender: { type: 'string', value: 'NAME', description: 'display name for the message (server default otherwise)' },
  },
  examples: [
    'parley send --room X7K9M2P --content "Build passed" --sender CI',
    'parley send --room X7K9M2P --file ./build.log',
  ],
  validate(values) {
    const hasContent = values.content !== undefined;
    const hasFile = values.file !== undefined;
    if (hasContent === hasFile) throw new UsageError('give exactly one of --content TEXT and --file PATH', 'send');
  },
  async run(ctx, values) {
    const code = roomCode(values);
    const sender = optionalString(values, 'sender');
    const filePath = optionalString(values, 'file');
    let answer: unknown;
    if (filePath !== undefined) {
      let bytes: Buffer;
      try {
        bytes = await ctx.readFile(filePath);
      } catch (error) {
        const reason = (error as { code?: string }).code ?? String(error);
        throw new UsageError(`cannot read --file ${filePath}: ${reason}`, 'send');
      }
      const form = new FormData();
      if (sender !== undefined) form.append('sender', sender);
      form.append('file', new Blob([bytes]), path.basename(filePath));
      answer = await ctx.http.post(roomPath(code, '/files'), { multipart: form });
    } else {
      const content = optionalString(values, 'content');
      answer = await ctx.http.post(roomPath(code, '/messages'), { json: { content, sender } });
    }
    if (ctx.json) {
      ctx.out.stdout(formatJson(answer));
    } else {
      const id = messageId(answer);
      const what = filePath !== undefined ? `file ${path.basename(filePath)}` : 'message';
      ctx.out.stdout(`Sent ${what} to ${code}${id ? ` (message ${id})` : ''}.`);
    }
  },
};
