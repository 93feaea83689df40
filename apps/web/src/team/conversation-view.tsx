import { DragEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Composer, useAttachments } from './composer';
import type { History, PendingMessage } from './chat-state';
import { MessageItem, PendingItem } from './message-item';

/** How close to the bottom (px) still counts as "at the bottom". */
const NEAR_BOTTOM = 40;

/**
 * The open conversation: a `log` named after it (oldest at the top, newest at the bottom), going
 * back through history by itself when the reader reaches the top ("Load older messages" does the
 * same from the keyboard), and the composer. Nothing moves under a reader: older pages keep the
 * message they were reading in place, new messages keep a reader at the bottom there and leave a
 * reader up in history where they are, with a "New messages" button to jump down.
 */
export function ConversationView(props: {
  label: string;
  history: History | undefined;
  pending: PendingMessage[];
  me: string;
  onLoadOlder: () => Promise<void>;
  onSend: (content: string, images: string[]) => Promise<void>;
  onRetry: (pending: PendingMessage) => void;
  upload: (filename: string, image: string) => Promise<string>;
}) {
  const logRef = useRef<HTMLDivElement>(null);
  const topRef = useRef<HTMLDivElement>(null);
  // Read by effects (a ref) and by the render (state): is the reader at the bottom?
  const stick = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  /** The newest message when the reader left the bottom: anything newer is "New messages". */
  const [leftAt, setLeftAt] = useState<string | undefined>();
  const loading = useRef(false);
  /** While an older page loads: the message at the top and where it was, to keep it there. */
  const anchor = useRef<{ element: Element; top: number; oldest: string | undefined } | undefined>(undefined);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [dragging, setDragging] = useState(false);
  const attachments = useAttachments(props.upload);
  const messages = props.history?.messages ?? [];
  const newestId = `${messages.at(-1)?.id}:${props.pending.length}`;
  const oldestId = messages[0]?.id;
  const complete = props.history?.complete ?? true;

  // Before paint: older messages loaded above keep the one that was at the top where it was; new
  // ones at the bottom keep a reader who was at the bottom there (and no one else moves).
  useLayoutEffect(() => {
    const log = logRef.current;
    if (!log) return;
    const kept = anchor.current;
    if (kept && kept.oldest !== oldestId && kept.element.isConnected) {
      anchor.current = undefined;
      log.scrollTop += kept.element.getBoundingClientRect().top - log.getBoundingClientRect().top - kept.top;
    } else if (stick.current) {
      log.scrollTop = log.scrollHeight;
    }
  }, [newestId, oldestId]);

  const loadOlder = () => {
    const log = logRef.current;
    if (loading.current || !log) return;
    loading.current = true;
    const first = log.querySelector('.team-message');
    anchor.current = first
      ? { element: first, top: first.getBoundingClientRect().top - log.getBoundingClientRect().top, oldest: oldestId }
      : undefined;
    setLoadingOlder(true);
    void props
      .onLoadOlder()
      .catch(() => undefined)
      .finally(() => {
        loading.current = false;
        setLoadingOlder(false);
      });
  };
  const loadOlderRef = useRef(loadOlder);
  useEffect(() => {
    loadOlderRef.current = loadOlder;
  });

  // Reaching the top loads the next older page (watched again after each page: if the top still
  // shows, the next one follows).
  useEffect(() => {
    const log = logRef.current;
    const top = topRef.current;
    if (!log || !top || complete || loadingOlder) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) loadOlderRef.current();
      },
      { root: log, rootMargin: '200px 0px 0px 0px' },
    );
    observer.observe(top);
    return () => observer.disconnect();
  }, [complete, loadingOlder, oldestId]);

  const onScroll = () => {
    const log = logRef.current;
    if (!log) return;
    const bottom = log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM;
    stick.current = bottom;
    if (bottom !== atBottom) {
      setAtBottom(bottom);
      if (!bottom) setLeftAt(newestId);
    }
  };

  const toBottom = () => {
    const log = logRef.current;
    if (!log) return;
    stick.current = true;
    log.scrollTop = log.scrollHeight;
  };

  // One's own message brings the reader down to it.
  const send = (content: string, images: string[]) => {
    stick.current = true;
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

  const unseen = !atBottom && leftAt !== undefined && leftAt !== newestId;
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
            {props.history && !props.history.complete && (
              <button type="button" className="secondary team-older" onClick={loadOlder} disabled={loadingOlder}>
                Load older messages
              </button>
            )}
          </div>
          {props.history?.complete && messages.length === 0 && <p className="team-hint">No messages yet. Say hello!</p>}
          {messages.map((message) => (
            <MessageItem key={message.id} message={message} />
          ))}
          {props.pending.map((pending) => (
            <PendingItem key={pending.key} pending={pending} author={props.me} onRetry={() => props.onRetry(pending)} />
          ))}
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
