import { BadRequestError, MAX_MESSAGE_CONTENT_LENGTH } from '@parley/common';
import { renderEmbeds } from './discord';
import { fromSlackMrkdwn } from './slack-mrkdwn';
import { renderAttachments, renderBlocks } from './slack';

/** What a webhook body asks for, whichever dialect it is written in. */
export interface WebhookPost {
  /** The message text; emptiness and the plain-text length limit are checked by the caller. */
  content: string;
  /** `username`: the bot name for this message only. */
  username: string | undefined;
  /** `avatar_url` (Discord) or `icon_url` (Slack), when it is an http(s) URL. */
  avatarUrl: string | undefined;
  /** `?thread_id=`, `thread_id` or `thread_ts`: the top-level message to reply to. */
  threadId: string | undefined;
}

const MAX_USERNAME = 80;
const MAX_AVATAR_URL = 2000;
const TRUNCATED = '\n…';

/**
 * Reads a webhook body in any of the three dialects: Parley/Discord `{content}`, the hook API's
 * `{message}`, Slack's `{text}` — the first of those present is the text — plus Slack
 * `attachments`/`blocks` and Discord `embeds`, rendered to Markdown. Fields it does not know are
 * ignored; known presentation fields of the wrong shape (a 500-character username, an avatar that
 * is no URL) are ignored too, since an alert is worth more than its cosmetics.
 *
 * This runs on every ingest request: a `{content}` body costs a few property reads and no regex.
 */
export function readWebhookPost(body: unknown, queryThreadId?: unknown): WebhookPost {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestError('Body must be a JSON object with "content"', 'VALIDATION_FAILED');
  }
  const b = body as Record<string, unknown>;
  let name = 'content';
  let raw = b.content;
  if (raw === undefined || raw === null) {
    name = 'message';
    raw = b.message;
    if (raw === undefined || raw === null) {
      name = 'text';
      raw = b.text;
    }
  }
  if (raw !== undefined && raw !== null && typeof raw !== 'string') {
    throw new BadRequestError(`${name} must be a string`, 'VALIDATION_FAILED');
  }
  const slack = name === 'text';
  let content = raw ?? undefined;
  if (b.attachments !== undefined || b.blocks !== undefined || b.embeds !== undefined) {
    content = withRichParts(content, slack, b);
  } else if (slack && content !== undefined) {
    content = fromSlackMrkdwn(content);
  }
  if (content === undefined) {
    throw new BadRequestError(
      'content is required (or message, text, attachments, blocks or embeds)',
      'VALIDATION_FAILED',
    );
  }
  return {
    content,
    username: b.username === undefined ? undefined : username(b.username),
    avatarUrl: avatar(b.avatar_url ?? b.icon_url),
    threadId:
      threadId(queryThreadId, 'thread_id') ?? threadId(b.thread_id, 'thread_id') ?? threadId(b.thread_ts, 'thread_ts'),
  };
}

/**
 * Slack shows `blocks` instead of `text` (the text is then only the notification fallback), and
 * attachments and embeds below the text: the message reads the same here. Rendered parts that
 * would pass the length limit are cut with a mark rather than refused — a tool cannot shorten
 * its alert, and losing it is worse than losing its tail.
 */
function withRichParts(raw: string | undefined, slack: boolean, b: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  const blocks = renderBlocks(b.blocks);
  if (blocks) parts.push(blocks);
  else if (raw !== undefined && raw.trim() !== '') parts.push(slack ? fromSlackMrkdwn(raw) : raw);
  const attachments = renderAttachments(b.attachments);
  if (attachments) parts.push(attachments);
  const embeds = renderEmbeds(b.embeds);
  if (embeds) parts.push(embeds);
  // Nothing rendered: the caller's checks answer for the text as sent (empty → 400).
  if (parts.length === 0) return raw;
  const content = parts.join('\n\n');
  return content.length > MAX_MESSAGE_CONTENT_LENGTH ? truncate(content) : content;
}

function truncate(s: string): string {
  let end = MAX_MESSAGE_CONTENT_LENGTH - TRUNCATED.length;
  // Never split a surrogate pair.
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return s.slice(0, end) + TRUNCATED;
}

// Control characters (NUL above all: PostgreSQL text refuses it, failing the whole batched write)
// make a presentation field unusable, so it reads as absent.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function username(v: unknown): string | undefined {
  if (typeof v !== 'string' || CONTROL.test(v)) return undefined;
  const t = v.trim();
  if (t === '') return undefined;
  if (t.length <= MAX_USERNAME) return t;
  const code = t.charCodeAt(MAX_USERNAME - 1);
  return t.slice(0, code >= 0xd800 && code <= 0xdbff ? MAX_USERNAME - 1 : MAX_USERNAME);
}

function avatar(v: unknown): string | undefined {
  return typeof v === 'string' && isHttpUrl(v) ? v : undefined;
}

/** An absolute http(s) URL of at most 2,000 characters (also the rule for a webhook's avatar). */
export function isHttpUrl(v: string): boolean {
  if (v.length > MAX_AVATAR_URL || !/^https?:\/\/[^\s]+$/i.test(v) || CONTROL.test(v)) return false;
  try {
    const url = new URL(v);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * A thread parent id as written. Absent or empty means "no thread"; a number is read as its
 * decimal id; anything else is refused rather than silently posting at the top level.
 */
function threadId(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? undefined : t;
  }
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  throw new BadRequestError(`${name} must be a message id`, 'VALIDATION_FAILED');
}
