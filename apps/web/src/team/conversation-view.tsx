import { DragEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Composer, useAttachments } from './composer';
import type { History, PendingMessage } from './chat-state';
import { MessageItem, PendingItem } from './message-item';

/** How close to the bottom (px) still counts as "at the bottom". */
const NEAR_BOTTOM = 40;
/**
 * At most this many messages are in the page at once, however many are loaded: the log shows a
 * window of them that moves by STEP as the reader reaches its top or bottom. A long channel costs
 * the same to scroll, to update and to add to as a short one (docs/decisions/0009).
 */
const WINDOW = 200;
const STEP = 50;
/** The server's page size for history ("Load older messages"). */
export const PAGE = 50;

/** Where a message is, relative to the log's top edge: what the reader sees move, or not. */
interface Anchor {
  element: Element;
  top: number;
}

/**
 * The first message whose bottom is below the log's top edge (the one the reader is at), found by
 * bisection: it runs on every scroll event, and each measurement is a layout read.
 */
function anchorIn(log: HTMLElement): Anchor | undefined {
  const logTop = log.getBoundingClientRect().top;
  const messages = log.querySelectorAll('.team-message');
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (messages[mid].getBoundingClientRect().bottom > logTop) high = mid;
    else low = mid + 1;
  }
  const element = messages[low];
  return element && { element, top: element.getBoundingClientRect().top - logTop };
}

/**
 * The open conversation: a `log` named after it (oldest at the top, newest at the bottom), going
 * back through history by itself when the reader reaches the top ("Load older messages" does the
 * same from the keyboard), and the composer. Nothing moves under a reader: older pages keep the
 * message they were reading in place, new messages keep a reader at the bottom there and leave a
 * reader up in history where they are, with a "New messages" button to jump down. Only a window
 * of the loaded messages is in the page (WINDOW); it follows the reader up and down.
 */
export function ConversationView(props: {
  label: string;
  history: History | undefined;
  pending: PendingMessage[];
  me: string;
  /** Reads the next older page; resolves to how many messages it had. */
  onLoadOlder: () => Promise<number>;
  onSend: (content: string, images: string[]) => Promise<void>;
  onRetry: (pending: PendingMessage) => void;
  upload: (filename: string, image: string) => Promise<string>;
}) {
  const logRef = useRef<HTMLDivElement>(null);
  const topRef = useRef<HTMLDivElement>(null);
  const bottomRef = useRef<HTMLDivElement>(null);
  // Read by effects (a ref) and by the render (state): is the reader at the bottom?
  const stick = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  /** The newest message when the reader left the bottom: anything newer is "New messages". */
  const [leftAt, setLeftAt] = useState<string | undefined>();
  const loading = useRef(false);
  /** The last older page failed to load: the top does not ask again until the reader scrolls. */
  const loadFailed = useRef(false);
  /** Before the window moves or an older page loads: the message the reader is at, kept in place. */
  const anchor = useRef<Anchor | undefined>(undefined);
  /** The message the reader was at when they last scrolled, for the window's trims at the top. */
  const readerAt = useRef<Anchor | undefined>(undefined);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [dragging, setDragging] = useState(false);
  const attachments = useAttachments(props.upload);
  const messages = props.history?.messages ?? [];
  const complete = props.history?.complete ?? true;

  // The window: it ends at the message `last` (undefined: the newest, following new messages) and
  // holds up to WINDOW messages. Ids rather than indexes, so it stays put as older pages load. A
  // window older than everything loaded (a RESYNC replaced the history) follows the newest instead.
  const [last, setLast] = useState<string | undefined>();
  const pinnedEnd = last === undefined ? 0 : countUpTo(messages, last);
  if (last !== undefined && pinnedEnd === 0 && messages.length > 0) setLast(undefined); // (a render-time reset)
  const end = pinnedEnd === 0 ? messages.length : pinnedEnd;
  const start = Math.max(0, end - WINDOW);
  const shown = messages.slice(start, end);
  const following = end === messages.length;
  const pending = following ? props.pending : [];
  const firstShown = shown[0]?.id;
  const lastShown = `${shown.at(-1)?.id}:${pending.length}`;
  const newestId = `${messages.at(-1)?.id}:${props.pending.length}`;
  const moreAbove = start > 0 || !complete;

  // Before paint: a change above the reader (an older page, the window moving) keeps the message
  // they were at where it was; new messages at the bottom keep a reader who was at the bottom
  // there (and no one else moves).
  useLayoutEffect(() => {
    const log = logRef.current;
    if (!log) return;
    // A reader at the bottom stays there; anyone else keeps the message they are at.
    const kept = stick.current ? undefined : (anchor.current ?? readerAt.current);
    anchor.current = undefined;
    if (kept?.element.isConnected) {
      log.scrollTop += kept.element.getBoundingClientRect().top - log.getBoundingClientRect().top - kept.top;
    } else if (stick.current) {
      log.scrollTop = log.scrollHeight;
    }
    readerAt.current = anchorIn(log);
  }, [firstShown, lastShown]);

  /** The window moves up by STEP; at the oldest loaded message, the next older page is read. */
  const showOlder = () => {
    const log = logRef.current;
    if (loading.current || !log || (start === 0 && (complete || loadFailed.current))) return;
    anchor.current = anchorIn(log);
    if (start > 0) {
      setLast(messages[end - 1 - Math.min(STEP, start)].id);
      return;
    }
    // Make room: after the page arrives, the window still holds WINDOW messages, the page on top.
    if (end > WINDOW - PAGE) setLast(messages[Math.max(WINDOW - PAGE, 1) - 1].id);
    loading.current = true;
    setLoadingOlder(true);
    props
      .onLoadOlder()
      .then(
        // Nothing older after all: nothing moves, so the kept place must not wait for a later render.
        (count) => count === 0 && (anchor.current = undefined),
        () => {
          anchor.current = undefined;
          loadFailed.current = true; // no more tries by itself until the reader scrolls again
        },
      )
      .finally(() => {
        loading.current = false;
        setLoadingOlder(false);
      });
  };

  /** The window moves down by STEP, back to following new messages once it reaches the newest. */
  const showNewer = () => {
    const log = logRef.current;
    if (!log || following) return;
    anchor.current = anchorIn(log);
    const next = Math.min(messages.length, end + STEP);
    setLast(next === messages.length ? undefined : messages[next - 1].id);
  };

  const showOlderRef = useRef(showOlder);
  const showNewerRef = useRef(showNewer);
  useLayoutEffect(() => {
    showOlderRef.current = showOlder;
    showNewerRef.current = showNewer;
  });

  // Reaching the top shows older messages, reaching the bottom of a window that is not at the
  // newest shows newer ones (watched again after each move: if the edge still shows, the next follows).
  useEffect(() => {
    const log = logRef.current;
    const top = topRef.current;
    if (!log || !top || !moreAbove || loadingOlder) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) showOlderRef.current();
      },
      { root: log, rootMargin: '200px 0px 0px 0px' },
    );
    observer.observe(top);
    return () => observer.disconnect();
  }, [moreAbove, loadingOlder, firstShown]);
  useEffect(() => {
    const log = logRef.current;
    const bottom = bottomRef.current;
    if (!log || !bottom || following) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) showNewerRef.current();
      },
      { root: log, rootMargin: '0px 0px 200px 0px' },
    );
    observer.observe(bottom);
    return () => observer.disconnect();
  }, [following, lastShown]);

  const onScroll = () => {
    const log = logRef.current;
    if (!log) return;
    // At the bottom of a window short of the newest is not at the bottom: nothing new shows there.
    const bottom = following && log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM;
    stick.current = bottom;
    readerAt.current = anchorIn(log);
    anchor.current = undefined; // the reader moved on: where they are now is what to keep
    loadFailed.current = false;
    if (bottom !== atBottom) {
      setAtBottom(bottom);
      if (!bottom) setLeftAt(newestId);
    }
  };

  /** To the newest message (the window moves there first if it is elsewhere). */
  const toBottom = () => {
    const log = logRef.current;
    if (!log) return;
    stick.current = true;
    anchor.current = undefined;
    setLast(undefined);
    log.scrollTop = log.scrollHeight;
  };

  // One's own message brings the reader down to it.
  const send = (content: string, images: string[]) => {
    toBottom();
    return props.onSend(content, images);
  };

  // Images dropped anywhere on the conversation are attached to the next message.
  const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');
  const onDragOver = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    if (!dragging) setDragging(true);
  };
  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    setDragging(false);
    attachments.add(event.dataTransfer.files);
  };

  const unseen = (!atBottom || !following) && leftAt !== undefined && leftAt !== newestId;
  return (
    <section
      className={`team-conversation${dragging ? ' team-dropping' : ''}`}
      aria-labelledby="conversation-title"
      onDragOver={onDragOver}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}
    >
      <h2 id="conversation-title">{props.label}</h2>
      <div className="team-log-wrap">
        <div className="team-log" role="log" aria-label={props.label} ref={logRef} onScroll={onScroll} tabIndex={0}>
          <div ref={topRef} className="team-log-top">
            {props.history && moreAbove && (
              <button type="button" className="secondary team-older" onClick={showOlder} disabled={loadingOlder}>
                Load older messages
              </button>
            )}
          </div>
          {props.history?.complete && messages.length === 0 && <p className="team-hint">No messages yet. Say hello!</p>}
          {shown.map((message) => (
            <MessageItem key={message.id} message={message} />
          ))}
          {pending.map((p) => (
            <PendingItem key={p.key} pending={p} author={props.me} onRetry={() => props.onRetry(p)} />
          ))}
          <div ref={bottomRef} className="team-log-bottom">
            {!following && (
              <button type="button" className="secondary team-older" onClick={showNewer}>
                Load newer messages
              </button>
            )}
          </div>
        </div>
        {unseen && (
          <button type="button" className="team-new-messages" onClick={toBottom}>
            New messages
          </button>
        )}
      </div>
      <Composer label={props.label} onSend={send} attachments={attachments} />
    </section>
  );
}

/** How many of `messages` (in id order) have an id up to `id`: the window's end for `last`. */
function countUpTo(messages: { id: string }[], id: string): number {
  const limit = Number(id);
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (Number(messages[mid].id) <= limit) low = mid + 1;
    else high = mid;
  }
  return low;
}
