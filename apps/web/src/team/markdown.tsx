import { Fragment, type ReactNode } from 'react';

/**
 * A small, safe Markdown subset rendered straight to React elements — never to an HTML string, so
 * nothing in a message can become markup: `<script>` or `<img onerror>` stays text (React escapes it).
 *
 * Blocks: fenced code (```), quotes (`> `), bullet lists (`-`, `*`, `+`), numbered lists (`1.`),
 * paragraphs (single newlines kept as line breaks). Inline: `code`, **bold** / __bold__, *italics* /
 * _italics_, ~~strike~~, [text](url) and bare URLs (http, https, mailto only; opened in a new tab with
 * rel="noopener noreferrer"), and mentions (@name, @here, @channel) highlighted.
 */
export function Markdown({ source }: { source: string }) {
  return <>{blocks(source.replace(/\r\n?/g, '\n'))}</>;
}

const FENCE = /^\s{0,3}```/;
const QUOTE = /^\s{0,3}> ?/;
const BULLET = /^\s{0,3}[-*+]\s+/;
const NUMBERED = /^\s{0,3}\d{1,9}[.)]\s+/;

function blocks(source: string): ReactNode[] {
  const lines = source.split('\n');
  const out: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const key = out.length;
    if (line.trim() === '') {
      i++;
    } else if (FENCE.test(line)) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !FENCE.test(lines[i])) body.push(lines[i++]);
      i++; // the closing fence (or the end)
      out.push(
        <pre key={key}>
          <code>{body.join('\n')}</code>
        </pre>,
      );
    } else if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) body.push(lines[i++].replace(QUOTE, ''));
      out.push(<blockquote key={key}>{blocks(body.join('\n'))}</blockquote>);
    } else if (BULLET.test(line) || NUMBERED.test(line)) {
      const marker = BULLET.test(line) ? BULLET : NUMBERED;
      const items: string[] = [];
      while (i < lines.length && marker.test(lines[i])) items.push(lines[i++].replace(marker, ''));
      const children = items.map((item, n) => <li key={n}>{inline(item)}</li>);
      out.push(marker === BULLET ? <ul key={key}>{children}</ul> : <ol key={key}>{children}</ol>);
    } else {
      const body: string[] = [];
      while (
        i < lines.length &&
        lines[i].trim() !== '' &&
        !FENCE.test(lines[i]) &&
        !QUOTE.test(lines[i]) &&
        !BULLET.test(lines[i]) &&
        !NUMBERED.test(lines[i])
      ) {
        body.push(lines[i++]);
      }
      out.push(<p key={key}>{withBreaks(body)}</p>);
    }
  }
  return out;
}

/** A paragraph's lines, joined by their newlines (shown as line breaks: `.team-content` keeps white space). */
function withBreaks(lines: string[]): ReactNode[] {
  return lines.map((line, n) => (
    <Fragment key={n}>
      {n > 0 && '\n'}
      {inline(line)}
    </Fragment>
  ));
}

/** http(s) and mailto only: anything else (javascript:, data:, relative) is not a link. */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

// One pass over the text: the earliest of these wins at each point.
const TOKEN = new RegExp(
  [
    /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/u.source, // 1,2: code
    /\*\*(?=\S)([\s\S]*?\S)\*\*/u.source, // 3: bold
    /__(?=\S)([\s\S]*?\S)__/u.source, // 4: bold
    /\*(?=\S)([^*]*?\S)\*/u.source, // 5: italics
    /(?<![\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/u.source, // 6: italics
    /~~(?=\S)([\s\S]*?\S)~~/u.source, // 7: strike
    /\[([^\]\n]+)\]\(\s*<?([^\s()<>]+(?:\([^\s()<>]*\))?)>?\s*\)/u.source, // 8,9: link
    /(?<![\p{L}\p{N}/])((?:https?:\/\/|mailto:)[^\s<>]*[^\s<>.,;:!?'")\]])/u.source, // 10: bare URL
    /(?<![\p{L}\p{N}_])(@[\p{L}\p{N}_.-]*[\p{L}\p{N}_])/u.source, // 11: mention
  ].join('|'),
  'gu',
);

export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  const re = new RegExp(TOKEN.source, TOKEN.flags); // own state: inline() recurses
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const key = out.length;
    if (m[2] !== undefined) out.push(<code key={key}>{m[2]}</code>);
    else if (m[3] !== undefined) out.push(<strong key={key}>{inline(m[3])}</strong>);
    else if (m[4] !== undefined) out.push(<strong key={key}>{inline(m[4])}</strong>);
    else if (m[5] !== undefined) out.push(<em key={key}>{inline(m[5])}</em>);
    else if (m[6] !== undefined) out.push(<em key={key}>{inline(m[6])}</em>);
    else if (m[7] !== undefined) out.push(<del key={key}>{inline(m[7])}</del>);
    else if (m[8] !== undefined) {
      const href = safeHref(m[9]);
      out.push(href ? link(key, href, inline(m[8])) : m[0]);
    } else if (m[10] !== undefined) {
      const href = safeHref(m[10]);
      out.push(href ? link(key, href, m[10]) : m[10]);
    } else if (m[11] !== undefined) {
      out.push(
        <span key={key} className="team-mention">
          {m[11]}
        </span>,
      );
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function link(key: number, href: string, children: ReactNode) {
  return (
    <a key={key} href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}
