import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { AdminLink, AdminView } from './admin/admin-view';
import { TeamApi } from './api';
import { chatReducer, emptyChat, PendingMessage } from './chat-state';
import { ConversationView } from './conversation-view';
import { conversationHref, HashRoute } from './hash-route';
import { ConnectionState, LiveEvent, LiveEvents } from './live-events';
import { MessageActions, MessageActionsContext } from './message-actions';
import { NewDirectMessage } from './new-direct-message';
import { Sidebar } from './sidebar';
import { ImageViewer, ThreadPanel } from './thread-panel';
import type { Channel, DirectConversation, Message, User, Workspace } from './types';

const PAGE = 50;
const THREAD_PAGE = 200;
let nextPending = 1;
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
        // A new DM has no name in its event: read the lists again.
        if (event.type === 'RESYNC' || event.type === 'NEW_CONVERSATION') void loadLists();
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

  // Optimistic send: shown at once as pending, replaced by the server's message when the POST
  // answers (or by its NEW_MESSAGE, whichever comes first), marked failed with "Retry" otherwise.
  const post = (conversationId: string, to: string, pending: PendingMessage) => {
    dispatch({ type: 'sending', conversationId, pending: { ...pending, status: 'pending' } });
    const body =
      pending.images.length > 0 ? { content: pending.content, images: pending.images } : { content: pending.content };
    api.post<{ message: Message }>(`${to}/messages`, body).then(
      ({ message }) => dispatch({ type: 'posted', message, key: pending.key }),
      () => dispatch({ type: 'send-failed', conversationId, key: pending.key }),
    );
  };
  const send = (content: string, images: string[]) => {
    if (base && openId) {
      post(openId, base, { key: `p${nextPending++}`, content, images, createdAt: Date.now(), status: 'pending' });
    }
    return Promise.resolve();
  };
  const retry = (pending: PendingMessage) => {
    if (base && openId) post(openId, base, pending);
  };
  const upload = async (filename: string, image: string) =>
    (await api.post<{ filename: string }>(`${base}/messages/image`, { filename, image })).filename;

  // The open thread (its parent's id), shown while its conversation is open and the parent exists.
  const [thread, setThread] = useState<{ conversationId: string; parentId: string } | undefined>();
  const parent =
    thread && thread.conversationId === openId ? history?.messages.find((m) => m.id === thread.parentId) : undefined;
  const [viewing, setViewing] = useState<string | undefined>();

  // Edits and deletes go by the message's kind: a thread reply through its parent, a DM's through the DM.
  const messagePath = (message: Message) =>
    message.threadId
      ? `/messages/${message.threadId}/thread/${message.id}`
      : dm && message.channelId === dm.id
        ? `/conversations/${dm.id}/messages/${message.id}`
        : `/messages/${message.id}`;

  const actions: MessageActions = {
    me: me.id,
    imageUrl: (filename, thumb) =>
      `${base}/messages/image/${encodeURIComponent(filename)}?${thumb ? 'size=thumb&' : ''}token=${encodeURIComponent(
        api.session.access ?? '',
      )}`,
    viewImage: setViewing,
    react: (message, reaction, add) => {
      const path = `/messages/${message.id}/reactions`;
      void (add ? api.post : api.delete)<{ message: { id: string; reactions: Message['reactions'] } }>(path, {
        reaction,
      })
        .then((res) =>
          dispatch({
            type: 'patch',
            conversationId: message.channelId,
            id: message.id,
            patch: { reactions: res.message.reactions },
          }),
        )
        .catch(() => undefined);
    },
    edit: async (message, content) => {
      const res = await api.put<{ message: Pick<Message, 'content' | 'mentions' | 'updatedAt'> }>(
        messagePath(message),
        {
          content,
        },
      );
      const { content: c, mentions, updatedAt } = res.message;
      dispatch({
        type: 'patch',
        conversationId: message.channelId,
        id: message.id,
        patch: { content: c, mentions, updatedAt },
      });
    },
    remove: async (message) => {
      await api.delete(messagePath(message));
      dispatch({ type: 'removed', conversationId: message.channelId, id: message.id, parentId: message.threadId });
    },
    openThread: (message) => {
      setThread({ conversationId: message.channelId, parentId: message.id });
      void api
        .get<{ replies: Message[] }>(`/messages/${message.id}/thread?limit=${THREAD_PAGE}`)
        .then(({ replies }) => dispatch({ type: 'thread', parentId: message.id, replies }))
        .catch(() => undefined);
    },
  };

  const reply = async (content: string, images: string[]) => {
    if (!parent) return;
    const body = images.length > 0 ? { content, images } : { content };
    const res = await api.post<{ reply: Message; threadMeta: Message['threadMeta'] }>(
      `/messages/${parent.id}/thread`,
      body,
    );
    dispatch({ type: 'replied', parentId: parent.id, reply: res.reply, threadMeta: res.threadMeta });
  };
  const uploadToThread = async (filename: string, image: string) =>
    (await api.post<{ filename: string }>(`/messages/${parent?.id}/thread/image`, { filename, image })).filename;

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
      <Sidebar
        channels={chat.channels}
        dms={chat.dms}
        unread={chat.unread}
        openId={openId}
        newDirectMessage={
          <NewDirectMessage
            api={api}
            me={me.id}
            onStarted={(conversation) => {
              void loadLists().then(() => window.location.assign(conversationHref(conversation.id)));
            }}
          />
        }
      />
      <main className="team-main">
        {props.route.kind === 'admin' ? (
          <AdminView
            api={api}
            me={me}
            workspace={props.workspace}
            channels={chat.channels}
            section={props.route.section}
          />
        ) : label && openId ? (
          <MessageActionsContext.Provider value={actions}>
            <div className={`team-chat${parent ? ' with-thread' : ''}`}>
              <ConversationView
                key={openId}
                label={label}
                history={history}
                pending={chat.pending[openId] ?? []}
                me={me.userName}
                onLoadOlder={loadOlder}
                onSend={send}
                onRetry={retry}
                upload={upload}
              />
              {parent && (
                <ThreadPanel
                  key={parent.id}
                  parent={parent}
                  replies={chat.threads[parent.id]}
                  onClose={() => setThread(undefined)}
                  onSend={reply}
                  upload={uploadToThread}
                />
              )}
            </div>
            {viewing && <ImageViewer src={actions.imageUrl(viewing, false)} onClose={() => setViewing(undefined)} />}
          </MessageActionsContext.Provider>
        ) : (
          <p className="team-hint">{chat.channels.length === 0 ? 'No channels yet.' : 'Choose a channel.'}</p>
        )}
      </main>
    </div>
  );
}
