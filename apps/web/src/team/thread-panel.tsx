import { DragEvent, KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Composer, useAttachments } from './composer';
import { MessageItem } from './message-item';
import type { Message } from './types';

/**
 * The complementary region "Thread": the parent message, its replies (oldest first, live), and the
 * textbox "Reply" with "Send reply" (and "Attach image"; images dropped on the panel are attached).
 * "Reply" takes the focus when it opens; Escape anywhere in it (not taken by an editor or a picker) closes it.
 */
export function ThreadPanel(props: {
  parent: Message;
  replies: Message[] | undefined;
  /** Reads the next older page of replies (resolves to how many); absent when the oldest is loaded. */
  onLoadOlder: (() => Promise<number>) | undefined;
  onClose: () => void;
  onSend: (content: string, images: string[]) => Promise<void>;
  upload: (filename: string, image: string) => Promise<string>;
}) {
  const attachments = useAttachments(props.upload);
  const listRef = useRef<HTMLDivElement>(null);
  const newest = props.replies?.at(-1)?.id;
  const oldest = props.replies?.[0]?.id;
  // Where the reader was, from the bottom, while older replies load above: kept there.
  const fromBottom = useRef<number | undefined>(undefined);
  const [loadingOlder, setLoadingOlder] = useState(false);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [newest]);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list || fromBottom.current === undefined) return;
    list.scrollTop = list.scrollHeight - fromBottom.current;
    fromBottom.current = undefined;
  }, [oldest]);
  const loadOlder = () => {
    const list = listRef.current;
    if (!list || !props.onLoadOlder) return;
    fromBottom.current = list.scrollHeight - list.scrollTop;
    setLoadingOlder(true);
    props
      .onLoadOlder()
      .then(
        // Nothing older after all: nothing moves, so the kept place must not wait for a later change.
        (count) => count === 0 && (fromBottom.current = undefined),
        () => (fromBottom.current = undefined),
      )
      .finally(() => setLoadingOlder(false));
  };

  const onDragOver = (event: DragEvent) => {
    if (event.dataTransfer.types.includes('Files')) event.preventDefault();
  };
  const onDrop = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    attachments.add(event.dataTransfer.files);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    props.onClose();
  };

  return (
    <aside className="team-thread" aria-label="Thread" onDragOver={onDragOver} onDrop={onDrop} onKeyDown={onKeyDown}>
      <header>
        <h2>Thread</h2>
        <button type="button" className="secondary" onClick={props.onClose}>
          Close
        </button>
      </header>
      <div className="team-thread-body" ref={listRef}>
        <MessageItem message={props.parent} inThread />
        <div className="team-thread-replies" role="log" aria-label="Replies">
          {props.onLoadOlder && (
            <button type="button" className="secondary team-older" onClick={loadOlder} disabled={loadingOlder}>
              Load older replies
            </button>
          )}
          {props.replies === undefined ? (
            <p className="team-hint">Loading…</p>
          ) : props.replies.length === 0 ? (
            <p className="team-hint">No replies yet.</p>
          ) : (
            props.replies.map((reply) => <MessageItem key={reply.id} message={reply} inThread />)
          )}
        </div>
      </div>
      <Composer
        label="thread"
        textboxName="Reply"
        sendName="Send reply"
        onSend={props.onSend}
        attachments={attachments}
        autoFocus
      />
    </aside>
  );
}

/** The image viewer: a modal dialog with the full image; Escape (or "Close") closes it. */
export function ImageViewer(props: { src: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="team-viewer"
      aria-label="Image"
      onClose={props.onClose}
      onClick={(e) => e.target === e.currentTarget && ref.current?.close()}
    >
      <img src={props.src} alt="Full size" />
      <form method="dialog">
        <button type="submit" className="secondary">
          Close
        </button>
      </form>
    </dialog>
  );
}
