import { BadRequestError } from '@parley/common';

/**
 * Webhook bodies come from foreign tools, so unknown fields are ignored rather than rejected.
 * Only `content` is read for now; the Slack/Discord dialects extend this one place.
 */
export function readWebhookContent(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('Body must be a JSON object with "content"', 'VALIDATION_FAILED');
  }
  const { content } = body as { content?: unknown };
  if (content === undefined) throw new BadRequestError('content is required', 'VALIDATION_FAILED');
  return content;
}
