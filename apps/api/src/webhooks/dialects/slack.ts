import { field, isObject, items, JsonObject, text } from './read';
import { fromSlackMrkdwn, markdownLink } from './slack-mrkdwn';

// Slack's own caps are 100 attachments, 50 blocks, 10 section fields, 10 context elements.
const MAX_ITEMS = 100;
const MAX_DEPTH = 4;

const mrkdwn = (v: unknown): string | undefined => {
  const t = text(v);
  return t && fromSlackMrkdwn(t);
};

/**
 * Legacy attachments (Alertmanager, Grafana and most alerting tools still send them): pretext,
 * author, linked title, text, fields and footer, one attachment per paragraph. `fallback` is what
 * Slack shows where it cannot render the rest, so it is used only when nothing else is there.
 * `color`, images and actions are presentation only.
 */
export function renderAttachments(value: unknown): string {
  const out: string[] = [];
  for (const a of items(value, MAX_ITEMS)) {
    if (!isObject(a)) continue;
    const lines: string[] = [];
    push(lines, mrkdwn(a.pretext));
    push(lines, mrkdwn(a.author_name));
    const title = mrkdwn(a.title);
    if (title) lines.push(`**${withLink(title, a.title_link)}**`);
    push(lines, mrkdwn(a.text));
    for (const f of items(a.fields, MAX_ITEMS)) {
      if (isObject(f)) push(lines, field(mrkdwn(f.title), mrkdwn(f.value)));
    }
    push(lines, mrkdwn(a.footer));
    if (lines.length === 0) push(lines, mrkdwn(a.fallback));
    if (lines.length > 0) out.push(lines.join('\n'));
  }
  return out.join('\n\n');
}

/**
 * Block Kit, as far as it is text: header, section (text and fields), context, rich text,
 * divider, and the links of buttons and images. Inputs and other interactive blocks render to
 * nothing. One block per paragraph.
 */
export function renderBlocks(value: unknown): string {
  const out: string[] = [];
  for (const b of items(value, MAX_ITEMS)) {
    if (!isObject(b)) continue;
    const rendered = renderBlock(b);
    if (rendered) out.push(rendered);
  }
  return out.join('\n\n');
}

function renderBlock(b: JsonObject): string | undefined {
  switch (b.type) {
    case 'header': {
      const t = textObject(b.text);
      return t && `### ${t}`;
    }
    case 'section': {
      const lines: string[] = [];
      push(lines, textObject(b.text));
      for (const f of items(b.fields, MAX_ITEMS)) push(lines, textObject(f));
      if (isObject(b.accessory)) push(lines, elementLink(b.accessory));
      return lines.join('\n') || undefined;
    }
    case 'context':
      return joined(
        items(b.elements, MAX_ITEMS).map((e) => (isObject(e) && e.type !== 'image' ? textObject(e) : undefined)),
      );
    case 'divider':
      return '---';
    case 'actions':
      return joined(items(b.elements, MAX_ITEMS).map((e) => (isObject(e) ? elementLink(e) : undefined)));
    case 'image': {
      const url = text(b.image_url);
      return url && markdownLink(textObject(b.title) ?? text(b.alt_text) ?? url, url);
    }
    case 'rich_text':
      return richElements(b.elements, 0, '\n') || undefined;
    default:
      return undefined;
  }
}

/** A composition text object: `mrkdwn` is converted, `plain_text` is taken as written. */
function textObject(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  return v.type === 'mrkdwn' ? mrkdwn(v.text) : text(v.text);
}

/** A button or overflow with a URL as a link; without one it does nothing outside Slack. */
function elementLink(e: JsonObject): string | undefined {
  const url = text(e.url);
  if (!url) return undefined;
  return markdownLink(textObject(e.text) ?? url, url);
}

/** Rich text: sections, lists, quotes and preformatted blocks of styled text runs. */
function richElements(value: unknown, depth: number, separator: string): string {
  if (depth > MAX_DEPTH) return '';
  const out: string[] = [];
  for (const e of items(value, MAX_ITEMS)) {
    if (!isObject(e)) continue;
    switch (e.type) {
      case 'rich_text_section':
        out.push(richElements(e.elements, depth + 1, ''));
        break;
      case 'rich_text_list': {
        const ordered = e.style === 'ordered';
        const indent = '  '.repeat(typeof e.indent === 'number' && e.indent > 0 ? Math.min(e.indent, 8) : 0);
        items(e.elements, MAX_ITEMS).forEach((item, i) => {
          const line = isObject(item) ? richElements([item], depth + 1, '') : '';
          if (line) out.push(`${indent}${ordered ? `${i + 1}.` : '-'} ${line}`);
        });
        break;
      }
      case 'rich_text_quote':
        out.push(
          richElements(e.elements, depth + 1, '')
            .split('\n')
            .map((l) => `> ${l}`)
            .join('\n'),
        );
        break;
      case 'rich_text_preformatted':
        out.push('```\n' + richElements(e.elements, depth + 1, '') + '\n```');
        break;
      default:
        out.push(richRun(e));
    }
  }
  return out.filter(Boolean).join(separator);
}

function richRun(e: JsonObject): string {
  switch (e.type) {
    case 'text':
      return styled(typeof e.text === 'string' ? e.text : '', e.style);
    case 'link': {
      const url = text(e.url);
      return url ? markdownLink(text(e.text) ?? url, url) : '';
    }
    case 'emoji':
      return typeof e.unicode === 'string' && /^[0-9a-f-]+$/i.test(e.unicode)
        ? (safeFromCodePoints(e.unicode) ?? `:${String(e.name)}:`)
        : typeof e.name === 'string'
          ? `:${e.name}:`
          : '';
    case 'user':
      return typeof e.user_id === 'string' ? `@${e.user_id}` : '';
    case 'usergroup':
      return typeof e.usergroup_id === 'string' ? `@${e.usergroup_id}` : '';
    case 'channel':
      return typeof e.channel_id === 'string' ? `#${e.channel_id}` : '';
    case 'broadcast':
      return e.range === 'here' ? '@here' : e.range === 'channel' || e.range === 'everyone' ? '@channel' : '';
    default:
      return '';
  }
}

function styled(t: string, style: unknown): string {
  if (!t.trim() || !isObject(style)) return t;
  let out = t;
  if (style.code === true) out = `\`${out}\``;
  if (style.bold === true) out = `**${out}**`;
  if (style.italic === true) out = `_${out}_`;
  if (style.strike === true) out = `~~${out}~~`;
  return out;
}

function safeFromCodePoints(unicode: string): string | undefined {
  try {
    return String.fromCodePoint(...unicode.split('-').map((h) => parseInt(h, 16)));
  } catch {
    return undefined;
  }
}

function withLink(label: string, url: unknown): string {
  const target = text(url);
  return target ? markdownLink(label, target) : label;
}

function joined(parts: Array<string | undefined>): string | undefined {
  return parts.filter(Boolean).join(' · ') || undefined;
}

function push(lines: string[], line: string | undefined): void {
  if (line) lines.push(line);
}
