import { type Command, optionalString, stringValue } from '../command';
import { UsageError } from '../errors';
import { formatJson } from '../format';

/** The webhook URL as given, or joined to the base when it is a path (`/hooks/in/CODE/TOKEN`). */
function hookUrl(raw: string, base: string): string {
  let url: URL;
  try {
    url = new URL(raw, `${base}/`);
  } catch {
    throw new UsageError(`--url is not a URL: ${JSON.stringify(raw)}`, 'webhook-send');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(raw)}`, 'webhook-send');
  }
  return url.href;
}

export const webhookSend: Command = {
  name: 'webhook-send',
  summary: "Post a message through an incoming webhook's URL (no room code needed).",
  usage: '--url URL --content TEXT [--sender NAME]',
  options: {
    url: {
      type: 'string',
      value: 'URL',
      description: 'the URL new-webhook printed (…/hooks/in/CODE/TOKEN)',
      required: true,
    },
    content: { type: 'string', value: 'TEXT', description: 'the message text', required: true },
    sender: { type: 'string', value: 'NAME', description: "display name (default: the webhook's label)" },
  },
  examples: ['parley webhook-send --url "$HOOK_URL" --content "🔥 CPU > 90% on web-03" --sender Alertmanager'],
  async run(ctx, values) {
    const url = hookUrl(stringValue(values, 'url'), ctx.base);
    const answer = await ctx.http.post(url, {
      json: { content: stringValue(values, 'content'), sender: optionalString(values, 'sender') },
    });
    if (ctx.json) {
      ctx.out.stdout(formatJson(answer));
      return;
    }
    const id = (answer as { message_id?: unknown } | null)?.message_id;
    ctx.out.stdout(`Posted${typeof id === 'number' || typeof id === 'string' ? ` message ${id}` : ''}.`);
  },
};
