import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { AdminLink, AdminView } from './admin/admin-view';
import { TeamApi, whileWanted } from './api';
import { chatReducer, emptyChat, PendingMessage } from './chat-state';
import { ConversationView, PAGE } from './conversation-view';
import { conversationHref, HashRoute } from './hash-route';
import { ConnectionState, LiveEvent, LiveEvents } from './live-events';
import { MessageActionsContext, messageActions } from './message-actions';
import { NewDirectMessage } from './new-direct-message';
import { Sidebar } from './sidebar';
import { ImageViewer, ThreadPanel } from './thread-panel';
import type { Channel, DirectConversation, Message, User, Workspace } from './types';
import { WorkspaceSwitcher } from './workspace-switcher';

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
  // The workspace's name as its admins set it (Admin → Settings, `GET /server/settings`), live.
  const [name, setName] = useState<string | undefined>();
  // (Unanswered, the workspace's own name stays.)
  useEffect(() => whileWanted(api.get<{ name: string }>('/server/settings'), (s) => setName(s.name)), [api]);
  const workspaceName = name ?? props.workspace.name;

  const loadLists = useCallback(async () => {
    const [{ channels }, { conversations }] = await Promise.all([
      api.get<{ channels: Channel[] }>('/channels'),
      api.get<{ conversations: DirectConversation[] }>('/conversations'),
    ]);
    dispatch({ type: 'lists', channels, dms: conversations });
  }, [api]);

  /** Reads a page of a thread's replies: the newest, or those before `before` ("Load older replies"). */
  const loadReplies = useCallback(
    async (parentId: string, before?: string) => {
      const query = `limit=${THREAD_PAGE}${before ? `&before=${before}` : ''}`;
      const { replies } = await api.get<{ replies: Message[] }>(`/messages/${parentId}/thread?${query}`);
      const complete = replies.length < THREAD_PAGE;
      dispatch({ type: 'thread', parentId, replies, older: before !== undefined, complete });
      return replies.length;
    },
    [api],
  );

  // What a RESYNC refetches besides the lists: the open conversation (its route) and the open thread.
  const baseRef = useRef<string | undefined>(undefined);
  const threadRef = useRef<string | undefined>(undefined);

  // One stream for the tab. A RESYNC (the server could not replay) refetches what is shown.
  useEffect(() => {
    void loadLists();
    const resync = () => {
      const open = openRef.current;
      const base = baseRef.current;
      const parentId = threadRef.current;
      dispatch({ type: 'resync', keep: open, thread: parentId });
      if (open && base) {
        api
          .get<{ messages: Message[] }>(`${base}/messages?limit=${PAGE}`)
          .then(({ messages }) =>
            dispatch({ type: 'refreshed', conversationId: open, messages, complete: messages.length < PAGE }),
          )
          .catch(() => undefined);
      }
      if (parentId) loadReplies(parentId).catch(() => undefined);
    };
    const live = new LiveEvents(
      api,
      (event: LiveEvent) => {
        // A new DM has no name in its event: read the lists again.
        if (event.type === 'RESYNC' || event.type === 'NEW_CONVERSATION') void loadLists();
        if (event.type === 'RESYNC') resync();
        if (event.type === 'UPDATE_SERVER_SETTINGS' && typeof event.payload.name === 'string') {
          setName(event.payload.name);
        }
        dispatch({ type: 'event', event, me: me.id, open: openRef.current });
      },
      setConnection,
    );
    live.start();
    return () => live.stop();
  }, [api, me.id, loadLists, loadReplies]);

  const channel = chat.channels.find((c) => c.id === openId);
  const dm = chat.dms.find((d) => d.id === openId);
  const base = channel ? `/channels/${channel.id}` : dm ? `/conversations/${dm.id}` : undefined;
  const history = openId ? chat.histories[openId] : undefined;
  useEffect(() => {
    openRef.current = openId;
    baseRef.current = base;
  }, [openId, base]);

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
    if (!openId || !base || !history) return 0;
    const before = history.messages[0]?.id;
    const { messages } = await api.get<{ messages: Message[] }>(
      `${base}/messages?limit=${PAGE}${before ? `&before=${before}` : ''}`,
    );
    dispatch({ type: 'page', conversationId: openId, messages, older: true, complete: messages.length < PAGE });
    return messages.length;
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

  // The open thread (its parent's id), shown while its conversation is open and the parent exists;
  // `opener`, the control that opened it, gets the focus back when it closes.
  const [thread, setThread] = useState<
    { conversationId: string; parentId: string; opener: HTMLElement | null } | undefined
  >();
  const parent =
    thread && thread.conversationId === openId ? history?.messages.find((m) => m.id === thread.parentId) : undefined;
  useEffect(() => {
    threadRef.current = thread && thread.conversationId === openId ? thread.parentId : undefined;
  }, [thread, openId]);
  const closeThread = () => {
    setThread(undefined);
    const back = thread?.opener;
    if (back) window.setTimeout(() => back.isConnected && back.focus());
  };
  const [viewing, setViewing] = useState<string | undefined>();

  const openThread = useCallback(
    (message: Message) => {
      const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setThread({ conversationId: message.channelId, parentId: message.id, opener });
      loadReplies(message.id).catch(() => undefined);
    },
    [loadReplies],
  );
  // One object per conversation, so the messages (memoised) do not render again for each event.
  const dmId = dm?.id;
  const actions = useMemo(
    () => messageActions({ api, me: me.id, base, dmId, dispatch, viewImage: setViewing, openThread }),
    [api, me.id, base, dmId, openThread],
  );

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

  // "Skip to messages": the open conversation's log (or the main area), past the top bar and the list.
  const mainRef = useRef<HTMLElement>(null);
  const skipToMessages = (event: { preventDefault: () => void }) => {
    event.preventDefault();
    const target = mainRef.current?.querySelector<HTMLElement>('[role="log"]') ?? mainRef.current;
    target?.focus();
  };

  // Alt+ArrowUp / Alt+ArrowDown: the previous / next conversation of the "Channels" list. The focus
  // follows: to the new conversation's "Message" box, or its link when it was in the list.
  const order = [...chat.channels.map((c) => c.id), ...chat.dms.map((d) => d.id)];
  const orderKey = order.join(',');
  const focusAfterMove = useRef<'message' | 'link' | undefined>(undefined);
  useEffect(() => {
    const ids = orderKey ? orderKey.split(',') : [];
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') || ids.length === 0) return;
      event.preventDefault();
      const at = openRef.current ? ids.indexOf(openRef.current) : -1;
      const next = event.key === 'ArrowUp' ? Math.max(at - 1, 0) : Math.min(at + 1, ids.length - 1);
      if (next === at) return;
      const inList = document.activeElement?.closest('nav.team-sidebar');
      focusAfterMove.current = inList ? 'link' : 'message';
      window.location.assign(conversationHref(ids[next]));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [orderKey]);
  useLayoutEffect(() => {
    const wanted = focusAfterMove.current;
    if (!wanted || !label) return;
    focusAfterMove.current = undefined;
    const target =
      wanted === 'link'
        ? document.querySelector<HTMLElement>('nav.team-sidebar a[aria-current="page"]')
        : mainRef.current?.querySelector<HTMLElement>('textarea[aria-label="Message"]');
    target?.focus();
  }, [openId, label]);

  return (
    <div className="team-shell">
      <a className="team-skip" href={openId ? conversationHref(openId) : '#'} onClick={skipToMessages}>
        Skip to messages
      </a>
      <header className="team-topbar">
        <span className="team-workspace">{workspaceName}</span>
        <WorkspaceSwitcher api={api} workspace={props.workspace} name={workspaceName} />
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
      <main className="team-main" ref={mainRef} tabIndex={-1}>
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
                  onLoadOlder={
                    chat.olderReplies[parent.id]
                      ? () => loadReplies(parent.id, chat.threads[parent.id]?.[0]?.id)
                      : undefined
                  }
                  onClose={closeThread}
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
