import type { ReactNode } from 'react';
import { conversationHref } from './hash-route';
import type { Channel, DirectConversation } from './types';

const unreadLabel = (n: number) => (n >= 100 ? '99+' : String(n));

/** The navigation landmark "Channels": channels, then DMs, each a link with its unread mark. */
export function Sidebar(props: {
  channels: Channel[];
  dms: DirectConversation[];
  unread: Record<string, number>;
  openId: string | undefined;
  /** The "New direct message" control, placed under the DM list. */
  newDirectMessage?: ReactNode;
}) {
  const item = (id: string, label: string) => {
    const count = props.unread[id] ?? 0;
    return (
      <li key={id}>
        <a
          href={conversationHref(id)}
          aria-current={props.openId === id ? 'page' : undefined}
          className={count > 0 ? 'team-unread' : undefined}
        >
          <span>{label}</span>
          {count > 0 && (
            <span className="team-badge" aria-label={`${unreadLabel(count)} unread`}>
              {unreadLabel(count)}
            </span>
          )}
        </a>
      </li>
    );
  };
  return (
    <nav className="team-sidebar" aria-label="Channels">
      <h2>Channels</h2>
      <ul>{props.channels.map((c) => item(c.id, `# ${c.name}`))}</ul>
      <h2>Direct messages</h2>
      <ul>{props.dms.map((d) => item(d.id, d.otherUser.userName))}</ul>
      {props.newDirectMessage}
    </nav>
  );
}
