/**
 * Slack's `mrkdwn` to the Markdown Parley renders. Slack escapes `&`, `<` and `>` as entities and
 * writes links and mentions as `<target|label>`; bold is `*x*` and strike `~x~`. Everything else
 * (`_italic_`, code, quotes, lists) reads the same in both.
 */

// `<…>` without nested brackets or line breaks: Slack's links, mentions and special commands.
const ESCAPE = /<([^<>\n]+)>/g;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// Emphasis markers hugging non-space text, not inside a word (`a*b*c` and `2 * 3 * 4` stay).
const BOLD = /(^|[^\w*\\])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g;
const STRIKE = /(^|[^\w~\\])~(?=\S)([^~\n]*?\S)~(?![\w~])/g;
// Code spans and fences keep their asterisks.
const CODE = /(```[\s\S]*?```|`[^`\n]*`)/;
const ENTITY = /&(lt|gt|amp);/g;

export function fromSlackMrkdwn(text: string): string {
  let out = text;
  if (out.includes('<')) out = out.replace(ESCAPE, convertEscape);
  if (out.includes('*') || out.includes('~')) out = outsideCode(out, convertEmphasis);
  // Entities last, so a decoded `&lt;` can never start a link.
  if (out.includes('&')) out = out.replace(ENTITY, (_m, e: string) => (e === 'lt' ? '<' : e === 'gt' ? '>' : '&'));
  return out;
}

/** A Markdown link, or the bare URL when the label adds nothing. */
export function markdownLink(label: string, url: string): string {
  if (!label || label === url) return url;
  const target = /[\s()<>]/.test(url) ? `<${url.replace(/[<>]/g, encodeURIComponent)}>` : url;
  return `[${escapeLabel(label)}](${target})`;
}

// Balanced brackets are allowed in link text (`[FIRING:1] Disk full` reads as written); only
// unbalanced ones would end the label early, so only those are escaped.
function escapeLabel(label: string): string {
  if (!label.includes('[') && !label.includes(']')) return label;
  let depth = 0;
  for (const ch of label) {
    if (ch === '[') depth++;
    else if (ch === ']' && --depth < 0) break;
  }
  return depth === 0 ? label : label.replace(/[[\]]/g, '\\$&');
}

function convertEscape(match: string, inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : inner.slice(bar + 1);
  switch (target[0]) {
    case '!': {
      // `<!here>`, `<!channel>`, `<!everyone>` notify like Parley's @here / @channel; others
      // (`<!subteam^ID|@team>`, `<!date^…|fallback>`) show their label.
      const command = target.slice(1);
      if (command === 'here' || command === 'channel') return `@${command}`;
      if (command === 'everyone') return '@channel';
      return label;
    }
    case '@':
      return label ? (label.startsWith('@') ? label : `@${label}`) : target;
    case '#':
      return label ? `#${label}` : target;
    default:
      return URL_SCHEME.test(target) ? markdownLink(label, target) : match;
  }
}

function convertEmphasis(text: string): string {
  return text.replace(BOLD, '$1**$2**').replace(STRIKE, '$1~~$2~~');
}

function outsideCode(text: string, convert: (s: string) => string): string {
  if (!text.includes('`')) return convert(text);
  // split with a capturing group: odd indexes are the code parts.
  return text
    .split(CODE)
    .map((part, i) => (i % 2 === 1 ? part : convert(part)))
    .join('');
}
