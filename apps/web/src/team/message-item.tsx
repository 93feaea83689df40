import type { Message } from './types';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** `@name`, `@here`, `@channel` as highlighted spans; everything else as text (React escapes it). */
function withMentions(content: string) {
  return content.split(/(@[\p{L}\p{N}_.-]+)/u).map((part, i) =>
    i % 2 === 1 ? (
      <span key={i} className="team-mention">
        {part}
      </span>
    ) : (
      part
    ),
  );
}

/** One message of a conversation's log: author (BOT badge for webhooks), time, content, reactions, replies. */
export function MessageItem({ message }: { message: Message }) {
  const created = new Date(message.createdAt);
  const reactions = Object.entries(message.reactions);
  return (
    <article className="team-message" aria-labelledby={`m-${message.id}-author`}>
      <header>
        <span id={`m-${message.id}-author`} className="team-author">
          {message.author.userName}
        </span>
        {message.author.isBot && <span className="team-bot">BOT</span>}
        <time dateTime={created.toISOString()} title={day.format(created)}>
          {time.format(created)}
        </time>
        {message.updatedAt !== null && <span className="team-edited">(edited)</span>}
      </header>
      <div className="team-content">{withMentions(message.content)}</div>
      {reactions.length > 0 && (
        <ul className="team-reactions" aria-label="Reactions">
          {reactions.map(([reaction, users]) => (
            <li key={reaction}>
              {reaction} {users.length}
            </li>
          ))}
        </ul>
      )}
      {message.threadMeta && (
        <p className="team-thread-count">
          {message.threadMeta.replyCount} {message.threadMeta.replyCount === 1 ? 'reply' : 'replies'}
        </p>
      )}
    </article>
  );
}
