import { KeyboardEvent, memo, useState } from 'react';
import type { PendingMessage } from './chat-state';
import { Markdown } from './markdown';
import { EMOJI, useMessageActions } from './message-actions';
import type { Message } from './types';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function When({ at }: { at: number }) {
  const created = new Date(at);
  return (
    <time dateTime={created.toISOString()} title={day.format(created)}>
      {time.format(created)}
    </time>
  );
}

/** A message's images as thumbnails; a click opens the viewer. */
function Images({ images }: { images: string[] }) {
  const actions = useMessageActions();
  if (images.length === 0) return null;
  return (
    <div className="team-images">
      {images.map((name, i) => (
        <button
          key={name}
          type="button"
          className="team-thumb"
          aria-label={`View image ${i + 1}`}
          onClick={() => actions.viewImage(name)}
        >
          <Thumbnail name={name} alt={`Image ${i + 1}`} />
        </button>
      ))}
    </div>
  );
}

/**
 * A thumbnail. Its URL carries the access token of when it rendered, and a memoised message renders
 * again only when it changes: a failed load renews the token once and tries again with the new one.
 */
function Thumbnail({ name, alt }: { name: string; alt: string }) {
  const actions = useMessageActions();
  const [renewed, setRenewed] = useState(false);
  const src = actions.imageUrl(name, true);
  const onError = () => {
    if (!renewed)
      actions.renewImageToken(src).then(
        () => setRenewed(true),
        () => setRenewed(true),
      );
  };
  return <img src={src} alt={alt} loading="lazy" onError={onError} />;
}

/** Each reaction as a toggle (pressed: I reacted), then "Add reaction" with a small emoji choice. */
function Reactions({ message }: { message: Message }) {
  const actions = useMessageActions();
  const [choosing, setChoosing] = useState(false);
  const reactions = Object.entries(message.reactions);
  return (
    <div className="team-reactions">
      {reactions.length > 0 && (
        <ul aria-label="Reactions">
          {reactions.map(([reaction, users]) => {
            const mine = users.includes(actions.me);
            return (
              <li key={reaction}>
                <button
                  type="button"
                  className="team-reaction"
                  aria-pressed={mine}
                  aria-label={`${reaction} ${users.length}`}
                  title={mine ? 'Remove your reaction' : 'React'}
                  onClick={() => actions.react(message, reaction, !mine)}
                >
                  {reaction} {users.length}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <button
        type="button"
        className="team-icon-button"
        aria-expanded={choosing}
        onClick={() => setChoosing((c) => !c)}
      >
        Add reaction
      </button>
      {choosing && (
        <div
          role="group"
          aria-label="Choose a reaction"
          className="team-emoji-choice"
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.preventDefault(); // the picker's Escape, not the Thread panel's
            setChoosing(false);
          }}
        >
          {EMOJI.map((emoji) => (
            <button
              key={emoji}
              type="button"
              aria-label={`React with ${emoji}`}
              onClick={() => {
                setChoosing(false);
                if (!message.reactions[emoji]?.includes(actions.me)) actions.react(message, emoji, true);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** The inline editor: "Edit message"; Enter saves, Shift+Enter breaks the line, Escape cancels. */
function Editor(props: { initial: string; onSave: (content: string) => Promise<void>; onDone: () => void }) {
  const [text, setText] = useState(props.initial);
  const [error, setError] = useState<string | undefined>();
  const save = async () => {
    const content = text.trim();
    if (content === '' || content === props.initial.trim()) return props.onDone();
    try {
      await props.onSave(content);
      props.onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Not saved');
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onDone();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    }
  };
  return (
    <div className="team-editor">
      {error && (
        <p role="alert" className="team-error">
          {error}
        </p>
      )}
      <textarea
        aria-label="Edit message"
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="team-editor-actions">
        <button type="button" onClick={() => void save()}>
          Save
        </button>
        <button type="button" className="secondary" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/**
 * One message: author (BOT badge for webhooks), time, content (Markdown), images, reactions, the
 * thread's reply count ("Reply in thread" / "N replies"), and Edit / Delete on one's own.
 */
export const MessageItem = memo(function MessageItem({
  message,
  inThread = false,
}: {
  message: Message;
  inThread?: boolean;
}) {
  const actions = useMessageActions();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const mine = message.author.id === actions.me;
  const replies = message.threadMeta?.replyCount ?? 0;
  return (
    <article className="team-message" aria-labelledby={`m-${message.id}-author`}>
      <header>
        <span id={`m-${message.id}-author`} className="team-author">
          {message.author.userName}
        </span>
        {message.author.isBot && <span className="team-bot">BOT</span>}
        <When at={message.createdAt} />
        {message.updatedAt !== null && <span className="team-edited">(edited)</span>}
      </header>
      {editing ? (
        <Editor initial={message.content} onSave={(c) => actions.edit(message, c)} onDone={() => setEditing(false)} />
      ) : (
        message.content !== '' && (
          <div className="team-content">
            <Markdown source={message.content} />
          </div>
        )
      )}
      <Images images={message.images ?? []} />
      <div className="team-message-actions">
        <Reactions message={message} />
        {!inThread && (
          <button
            type="button"
            className={replies > 0 ? 'team-thread-count' : 'team-icon-button'}
            onClick={() => actions.openThread(message)}
          >
            {replies === 0 ? 'Reply in thread' : `${replies} ${replies === 1 ? 'reply' : 'replies'}`}
          </button>
        )}
        {mine && !editing && (
          <button type="button" className="team-icon-button" onClick={() => setEditing(true)}>
            Edit
          </button>
        )}
        {mine && !confirming && (
          <button type="button" className="team-icon-button" onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
      </div>
      {confirming && (
        <div role="group" aria-label="Delete this message?" className="team-confirm">
          <span>Delete this message{!inThread && replies > 0 ? ' and its replies' : ''}?</span>
          <button
            type="button"
            className="danger"
            onClick={() => void actions.remove(message).catch(() => setConfirming(false))}
          >
            Yes, delete
          </button>
          <button type="button" className="secondary" autoFocus onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
    </article>
  );
});

/** A message sent from here, not confirmed yet (muted), or refused (with "Retry"). */
export function PendingItem(props: { pending: PendingMessage; author: string; onRetry: () => void }) {
  const { pending } = props;
  return (
    <article
      className={`team-message team-pending ${pending.status}`}
      aria-label={`${props.author} (${pending.status})`}
    >
      <header>
        <span className="team-author">{props.author}</span>
        <When at={pending.createdAt} />
        <span className="team-edited">{pending.status === 'pending' ? 'Sending…' : 'Not sent'}</span>
      </header>
      {pending.content !== '' && (
        <div className="team-content">
          <Markdown source={pending.content} />
        </div>
      )}
      <Images images={pending.images} />
      {pending.status === 'failed' && (
        <button type="button" className="secondary" onClick={props.onRetry}>
          Retry
        </button>
      )}
    </article>
  );
}
