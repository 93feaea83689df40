import { DragEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Composer, useAttachments } from './composer';
import type { History, PendingMessage } from './chat-state';
import { MessageItem, PendingItem } from './message-item';

/**
 * The open conversation: a `log` named after it (oldest at the top, newest at the bottom, kept
 * there while the reader is at the bottom), "Load older messages" going back through history, and
 * the composer.
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
  const atBottom = useRef(true);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [dragging, setDragging] = useState(false);
  const attachments = useAttachments(props.upload);
  const messages = props.history?.messages ?? [];
  const newestId = `${messages.at(-1)?.id}:${props.pending.length}`;

  // New messages at the bottom keep a reader who was at the bottom there; older ones loaded above
  // keep what the reader sees in place (the browser's scroll anchoring).
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && atBottom.current) log.scrollTop = log.scrollHeight;
  }, [newestId, props.label]);

  useEffect(() => {
    atBottom.current = true;
  }, [props.label]);

  const onScroll = () => {
    const log = logRef.current;
    if (log) atBottom.current = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  };

  const loadOlder = () => {
    setLoadingOlder(true);
    void props.onLoadOlder().finally(() => setLoadingOlder(false));
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

  return (
    <section
      className={`team-conversation${dragging ? ' team-dropping' : ''}`}
      aria-labelledby="conversation-title"
      onDragOver={onDragOver}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={onDrop}
    >
      <h2 id="conversation-title">{props.label}</h2>
      <div className="team-log" role="log" aria-label={props.label} ref={logRef} onScroll={onScroll}>
        {props.history && !props.history.complete && (
          <button type="button" className="secondary team-older" onClick={loadOlder} disabled={loadingOlder}>
            Load older messages
          </button>
        )}
        {props.history?.complete && messages.length === 0 && <p className="team-hint">No messages yet. Say hello!</p>}
        {messages.map((message) => (
          <MessageItem key={message.id} message={message} />
        ))}
        {props.pending.map((pending) => (
          <PendingItem key={pending.key} pending={pending} author={props.me} onRetry={() => props.onRetry(pending)} />
        ))}
      </div>
      <Composer label={props.label} onSend={props.onSend} attachments={attachments} />
    </section>
  );
}
