import { useEffect, useLayoutEffect, useRef } from 'react';
import { RoomMessage } from './room-types';
import { Notice } from './use-room';

// Only a path this server serves a room's file under: never another origin or a `javascript:` URL.
const FILE_PATH = /^\/rooms\/[A-Za-z0-9]+\/files\/[A-Za-z0-9._-]+$/;
const INLINE_IMAGES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
// How close to the bottom still counts as reading the newest messages (then new ones scroll in).
const STICK_PX = 48;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** The API's times are UTC without a zone (`2026-06-30T18:31:10`), as the seed shows. */
function parseTime(value: string): Date {
  return new Date(/(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`);
}

function Attachment({ message }: { message: RoomMessage }) {
  const path = message.file_path;
  if (!path || !FILE_PATH.test(path)) return <p className="content">{message.content}</p>;
  if (message.file_type && INLINE_IMAGES.has(message.file_type)) {
    return (
      <a className="attachment image" href={path} target="_blank" rel="noreferrer">
        <img src={path} alt={message.content} loading="lazy" decoding="async" />
      </a>
    );
  }
  return (
    <p className="content">
      <a className="attachment file" href={path} download>
        {message.content}
      </a>
      {message.file_type ? <span className="file-type"> ({message.file_type})</span> : null}
    </p>
  );
}

function MessageItem({ message }: { message: RoomMessage }) {
  const at = parseTime(message.created_at);
  const valid = !Number.isNaN(at.getTime());
  return (
    <li className="message">
      <div className="meta">
        <span className="sender">{message.sender}</span>{' '}
        <time
          dateTime={valid ? at.toISOString() : message.created_at}
          title={valid ? fullFormat.format(at) : undefined}
        >
          {valid ? timeFormat.format(at) : message.created_at}
        </time>
      </div>
      {message.file_path ? <Attachment message={message} /> : <p className="content">{message.content}</p>}
    </li>
  );
}

function NoticeItem({ notice }: { notice: Notice }) {
  return (
    <li className={`notice notice-${notice.tone}`}>
      <div className="meta">
        <span className="sender">{notice.title}</span> <span className="only-you">only you see this</span>
      </div>
      <ul className="notice-lines">
        {notice.lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </li>
  );
}

type Entry = { kind: 'message'; message: RoomMessage } | { kind: 'notice'; notice: Notice };

/** Messages by id, each notice after the message that was newest when it came. */
function interleave(messages: RoomMessage[], notices: Notice[]): Entry[] {
  const entries: Entry[] = [];
  let n = 0;
  for (const message of messages) {
    while (n < notices.length && notices[n].afterId < message.id)
      entries.push({ kind: 'notice', notice: notices[n++] });
    entries.push({ kind: 'message', message });
  }
  while (n < notices.length) entries.push({ kind: 'notice', notice: notices[n++] });
  return entries;
}

/**
 * The room's `log` region: everything as text (React escapes it; nothing is parsed as HTML), files
 * as links and images from their `file_path`. Stays scrolled to the newest line while the reader is.
 */
export function MessageLog({
  label,
  messages,
  notices,
}: {
  label: string;
  messages: RoomMessage[];
  notices: Notice[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const entries = interleave(messages, notices);
  const empty = entries.length === 0;

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [entries.length]);

  // Images grow the log after they load: keep the newest line in view while the reader is there.
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    for (const child of el.children) observer.observe(child);
    return () => observer.disconnect();
  }, [empty]);

  return (
    <div
      className="log"
      role="log"
      aria-label={label}
      tabIndex={0}
      ref={ref}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
      }}
    >
      {empty ? (
        <p className="empty">No messages yet. Say hello, type /help, or post through a webhook.</p>
      ) : (
        <ol className="entries">
          {entries.map((entry) =>
            entry.kind === 'message' ? (
              <MessageItem key={`m${entry.message.id}`} message={entry.message} />
            ) : (
              <NoticeItem key={`n${entry.notice.key}`} notice={entry.notice} />
            ),
          )}
        </ol>
      )}
    </div>
  );
}
