import { type Command, ROOM_OPTION, roomCode, roomPath, stringValue } from '../command';
import { formatFields, formatJson } from '../format';

interface CreatedWebhook {
  id: number | string;
  label?: string | null;
  token: string;
  url: string;
}

function isCreatedWebhook(value: unknown): value is CreatedWebhook {
  const hook = value as Partial<CreatedWebhook> | null;
  return hook?.id !== undefined && typeof hook.token === 'string' && typeof hook.url === 'string';
}

export const newWebhook: Command = {
  name: 'new-webhook',
  summary: 'Mint an incoming webhook for a room; prints its id, one-time token and URL.',
  usage: '--room CODE --label LABEL',
  options: {
    room: ROOM_OPTION,
    label: {
      type: 'string',
      value: 'LABEL',
      description: "the integration's name, also its messages' default sender",
      required: true,
    },
  },
  examples: ['parley new-webhook --room X7K9M2P --label "Deploy Bot"'],
  async run(ctx, values) {
    const code = roomCode(values);
    const answer = await ctx.http.post(roomPath(code, '/webhooks'), { json: { label: stringValue(values, 'label') } });
    if (ctx.json) {
      ctx.out.stdout(formatJson(answer));
      return;
    }
    if (!isCreatedWebhook(answer))
      throw new Error(`unexpected answer to POST /rooms/:code/webhooks: ${JSON.stringify(answer)}`);
    ctx.out.stdout(
      formatFields([
        ['Webhook', String(answer.id)],
        ['Label', answer.label ?? ''],
        ['Token', answer.token],
        ['URL', answer.url],
      ]),
    );
    ctx.out.stdout('The token is shown only once. Post with: parley webhook-send --url URL --content TEXT');
  },
};
