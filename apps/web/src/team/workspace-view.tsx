import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { AdminLink, AdminView } from './admin/admin-view';
import { TeamApi } from './api';
import { chatReducer, emptyChat } from './chat-state';
import { ConversationView } from './conversation-view';
import { conversationHref, HashRoute } from './hash-route';
import { ConnectionState, LiveEvent, LiveEvents } from './live-events';
import { Sidebar } from './sidebar';
import type { Channel, DirectConversation, Message, User, Workspace } from './types';

const PAGE = 50;
const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Connected',
  reconnecting: 'Reconnecting…',
};

/** The logged-in page: the "Channels" navigation, the open conversation, the connection state. */
export function WorkspaceView(props: {
  api: TeamApi;
  me: User;
  workspace: Workspace;
  route: HashRoute;
  onLogout: () => void;
}) {
  const { api, me } = props;
  const [chat, dispatch] = useReducer(chatReducer, emptyChat);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const openId = props.route.kind === 'conversation' ? props.route.id : undefined;
  // The stream's handler outlives renders: it reads the open conversation through a ref.
  const openRef = useRef(openId);
  useEffect(() => {
    openRef.current = openId;
  }, [openId]);

  const loadLists = useCallback(async () => {
    const [{ channels }, { conversations }] = await Promise.all([
      api.get<{ channels: Channel[] }>('/channels'),
      api.get<{ conversations: DirectConversation[] }>('/conversations'),
    ]);
    dispatch({ type: 'lists', channels, dms: conversations });
  }, [api]);

  // One stream for the tab. A RESYNC (the server could not replay) refetches what is shown.
  useEffect(() => {
    void loadLists();
    const live = new LiveEvents(
      api,
      (event: LiveEvent) => {
        if (event.type === 'RESYNC') void loadLists();
        dispatch({ type: 'event', event, me: me.id, open: openRef.current });
      },
      setConnection,
    );
    live.start();
    return () => live.stop();
  }, [api, me.id, loadLists]);

  const channel = chat.channels.find((c) => c.id === openId);
  const dm = chat.dms.find((d) => d.id === openId);
  const base = channel ? `/channels/${channel.id}` : dm ? `/conversations/${dm.id}` : undefined;
  const history = openId ? chat.histories[openId] : undefined;

  // Opening a conversation reads its newest page once; later pages come from "Load older".
  useEffect(() => {
    if (!openId || !base || history) return;
    void api
      .get<{ messages: Message[] }>(`${base}/messages?limit=${PAGE}`)
      .then(({ messages }) =>
        dispatch({ type: 'page', conversationId: openId, messages, older: false, complete: messages.length < PAGE }),
      );
  }, [api, openId, base, history]);

  // What is on screen is read: move the marker to the newest message.
  const newest = history?.messages.at(-1)?.id;
  useEffect(() => {
    if (!openId || !base || !newest) return;
    dispatch({ type: 'read', conversationId: openId });
    void api.put(`${base}/read`, { messageId: newest }).catch(() => undefined);
  }, [api, openId, base, newest]);

  // With nothing open, open the first channel.
  useEffect(() => {
    if (props.route.kind === 'home' && chat.channels.length > 0) {
      window.location.replace(conversationHref(chat.channels[0].id));
    }
  }, [props.route.kind, chat.channels]);

  const loadOlder = async () => {
    if (!openId || !base || !history) return;
    const before = history.messages[0]?.id;
    const { messages } = await api.get<{ messages: Message[] }>(
      `${base}/messages?limit=${PAGE}${before ? `&before=${before}` : ''}`,
    );
    dispatch({ type: 'page', conversationId: openId, messages, older: true, complete: messages.length < PAGE });
  };

  const send = async (content: string) => {
    if (!base) return;
    const { message } = await api.post<{ message: Message }>(`${base}/messages`, { content });
    dispatch({ type: 'posted', message });
  };

  const label = channel ? channel.name : dm ? dm.otherUser.userName : undefined;

  return (
    <div className="team-shell">
      <header className="team-topbar">
        <span className="team-workspace">{props.workspace.name}</span>
        <span role="status" aria-label="Connection" className={`team-connection ${connection}`}>
          {CONNECTION_TEXT[connection]}
        </span>
        <AdminLink workspace={props.workspace} current={props.route.kind === 'admin'} />
        <span className="team-me">{me.userName}</span>
        <button type="button" className="secondary" onClick={props.onLogout}>
          Log out
        </button>
      </header>
      <Sidebar channels={chat.channels} dms={chat.dms} unread={chat.unread} openId={openId} />
      <main className="team-main">
        {props.route.kind === 'admin' ? (
          <AdminView
            api={api}
            me={me}
            workspace={props.workspace}
            channels={chat.channels}
            section={props.route.section}
          />
        ) : label ? (
          <ConversationView label={label} history={history} onLoadOlder={loadOlder} onSend={send} />
        ) : (
          <p className="team-hint">{chat.channels.length === 0 ? 'No channels yet.' : 'Choose a channel.'}</p>
        )}
      </main>
    </div>
  );
}
