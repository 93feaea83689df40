import { type Command, ROOM_OPTION, roomCode, roomPath, stringValue } from '../command';
import { formatJson } from '../format';

export const destroy: Command = {
  name: 'destroy',
  summary: 'Destroy a room for good: messages, files, webhooks (needs the admin token).',
  usage: '--room CODE --token ADMIN_TOKEN',
  options: {
    room: ROOM_OPTION,
    token: { type: 'string', value: 'ADMIN_TOKEN', description: 'the admin token create-room printed', required: true },
  },
  examples: ['parley destroy --room X7K9M2P --token "$ADMIN_TOKEN"'],
  async run(ctx, values) {
    const code = roomCode(values);
    const answer = await ctx.http.post(roomPath(code, '/commands'), {
      json: { command: '/destroy' },
      headers: { 'x-admin-token': stringValue(values, 'token') },
    });
    ctx.out.stdout(ctx.json ? formatJson(answer) : `Room ${code} destroyed.`);
  },
};
