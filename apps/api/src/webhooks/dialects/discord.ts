import { field, isObject, items, text } from './read';
import { markdownLink } from './slack-mrkdwn';

// Discord accepts at most 10 embeds of at most 25 fields.
const MAX_EMBEDS = 10;
const MAX_FIELDS = 25;

/**
 * Discord embeds: author, linked title, description, fields and footer, one embed per paragraph.
 * Their text is already Markdown. Colour, images, thumbnails and timestamps are presentation only.
 */
export function renderEmbeds(value: unknown): string {
  const out: string[] = [];
  for (const e of items(value, MAX_EMBEDS)) {
    if (!isObject(e)) continue;
    const lines: string[] = [];
    const author = isObject(e.author) ? text(e.author.name) : undefined;
    if (author) lines.push(author);
    const title = text(e.title);
    const url = text(e.url);
    if (title) lines.push(`**${url ? markdownLink(title, url) : title}**`);
    else if (url) lines.push(url);
    const description = text(e.description);
    if (description) lines.push(description);
    for (const f of items(e.fields, MAX_FIELDS)) {
      const line = isObject(f) ? field(text(f.name), text(f.value)) : undefined;
      if (line) lines.push(line);
    }
    const footer = isObject(e.footer) ? text(e.footer.text) : undefined;
    if (footer) lines.push(footer);
    if (lines.length > 0) out.push(lines.join('\n'));
  }
  return out.join('\n\n');
}
