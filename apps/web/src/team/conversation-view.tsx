import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Composer } from './composer';
import type { History } from './chat-state';
import { MessageItem } from './message-item';

/**
 * The open conversation: a `log` named after it (oldest at the top, newest at the bottom, kept
 * there while the reader is at the bottom), "Load older messages" going back through history, and
 * the composer.
 */
export function ConversationView(props: {
  label: string;
  history: History | undefined;
  onLoadOlder: () => Promise<void>;
  onSend: (content: string) => Promise<void>;
}) {
  const logRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const messages = props.history?.messages ?? [];
  const newestId = messages.at(-1)?.id;

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

  return (
    <section className="team-conversation" aria-labelledby="conversation-title">
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
      </div>
      <Composer label={props.label} onSend={props.onSend} />
    </section>
  );
}
