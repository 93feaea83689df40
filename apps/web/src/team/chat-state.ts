import type { LiveEvent } from './live-events';
import type { Channel, DirectConversation, Message } from './types';

/** One conversation's loaded history: oldest first; `complete` once the first message is in. */
export interface History {
  messages: Message[];
  complete: boolean;
}

/** A message sent from this tab that the server has not confirmed yet (or refused: `failed`). */
export interface PendingMessage {
  key: string;
  content: string;
  images: string[];
  createdAt: number;
  status: 'pending' | 'failed';
}

export interface ChatState {
  channels: Channel[];
  dms: DirectConversation[];
  histories: Record<string, History>;
  /** Unread counts by conversation id (from the lists, then kept up to date by events). */
  unread: Record<string, number>;
  /** Optimistic sends by conversation id, shown after the history until the server answers. */
  pending: Record<string, PendingMessage[]>;
  /** Loaded threads: replies (oldest first) by parent message id. */
  threads: Record<string, Message[]>;
  /** Threads whose oldest replies may not be loaded yet ("Load older replies"), by parent message id. */
  olderReplies: Record<string, boolean>;
}

export const emptyChat: ChatState = {
  channels: [],
  dms: [],
  histories: {},
  unread: {},
  pending: {},
  threads: {},
  olderReplies: {},
};

export type ChatAction =
  | { type: 'lists'; channels: Channel[]; dms: DirectConversation[] }
  | { type: 'page'; conversationId: string; messages: Message[]; older: boolean; complete: boolean }
  | { type: 'refreshed'; conversationId: string; messages: Message[]; complete: boolean }
  | { type: 'resync'; keep: string | undefined; thread: string | undefined }
  | { type: 'sending'; conversationId: string; pending: PendingMessage }
  | { type: 'send-failed'; conversationId: string; key: string }
  | { type: 'posted'; message: Message; key?: string }
  | { type: 'patch'; conversationId: string; id: string; patch: Partial<Message> }
  | { type: 'removed'; conversationId: string; id: string; parentId?: string }
  /** A page of a thread's replies: its newest (`older` false: replaces what is loaded) or an older one. */
  | { type: 'thread'; parentId: string; replies: Message[]; older?: boolean; complete: boolean }
  | { type: 'replied'; parentId: string; reply: Message; threadMeta: Message['threadMeta'] }
  | { type: 'read'; conversationId: string }
  | { type: 'event'; event: LiveEvent; me: string; open: string | undefined };

/** Adds or replaces messages by id, keeping id order (ids are increasing numbers as strings). */
function merge(existing: Message[], incoming: Message[]): Message[] {
  // The common case, one new message after the newest: an append.
  const last = existing.at(-1);
  if (incoming.length === 1 && (!last || Number(incoming[0].id) > Number(last.id))) return [...existing, incoming[0]];
  const byId = new Map(existing.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

function withHistory(state: ChatState, id: string, update: (h: History) => History): ChatState {
  const history = state.histories[id];
  if (!history) return state; // never opened: it is read fresh when it is
  return { ...state, histories: { ...state.histories, [id]: update(history) } };
}

/** Changes message `id` wherever it shows: the conversation's history and any loaded thread. */
function updateMessage(
  state: ChatState,
  conversationId: string,
  id: string,
  update: (m: Message) => Message,
): ChatState {
  const apply = (list: Message[]) =>
    list.some((m) => m.id === id) ? list.map((m) => (m.id === id ? update(m) : m)) : list;
  const next = withHistory(state, conversationId, (h) => ({ ...h, messages: apply(h.messages) }));
  let threads = next.threads;
  for (const [parentId, replies] of Object.entries(threads)) {
    const updated = apply(replies);
    if (updated !== replies) threads = { ...threads, [parentId]: updated };
  }
  return threads === next.threads ? next : { ...next, threads };
}

function patchMessage(state: ChatState, conversationId: string, id: string, patch: Partial<Message>): ChatState {
  return updateMessage(state, conversationId, id, (m) => ({ ...m, ...patch }));
}

function removeMessage(state: ChatState, conversationId: string, id: string, parentId?: string): ChatState {
  if (parentId) {
    const replies = state.threads[parentId];
    return replies
      ? { ...state, threads: { ...state.threads, [parentId]: replies.filter((m) => m.id !== id) } }
      : state;
  }
  const next = withHistory(state, conversationId, (h) => ({ ...h, messages: h.messages.filter((m) => m.id !== id) }));
  if (!next.threads[id]) return next;
  const threads = { ...next.threads };
  delete threads[id];
  return { ...next, threads };
}

function withPending(state: ChatState, conversationId: string, update: (p: PendingMessage[]) => PendingMessage[]) {
  return { ...state, pending: { ...state.pending, [conversationId]: update(state.pending[conversationId] ?? []) } };
}

/** The server's copy of a message sent from here arrived by the stream first: drop the oldest matching pending one. */
function confirmPending(state: ChatState, message: Message): ChatState {
  const list = state.pending[message.channelId];
  const i = list?.findIndex((p) => p.content === message.content && p.images.join('\n') === message.images.join('\n'));
  if (!list || i === undefined || i < 0) return state;
  return withPending(state, message.channelId, (p) => p.filter((_, n) => n !== i));
}

function addReply(state: ChatState, parentId: string, reply: Message): ChatState {
  const replies = state.threads[parentId];
  if (!replies) return state;
  return { ...state, threads: { ...state.threads, [parentId]: merge(replies, [reply]) } };
}

/**
 * The newest page read again (after a RESYNC: events were missed). Within the page's range it is the
 * truth (what is missing was deleted); older loaded messages stay when they join up with it, and are
 * dropped when a gap lies between (then "Load older" reads back from the page).
 */
function refreshed(state: ChatState, action: { conversationId: string; messages: Message[]; complete: boolean }) {
  const previous = state.histories[action.conversationId];
  const first = action.messages[0];
  const page = { messages: merge([], action.messages), complete: action.complete };
  // The page is all there is, or nothing loaded overlaps it (a gap, or nothing loaded): it alone.
  if (!previous || !first || action.complete) return page;
  if (!previous.messages.some((m) => Number(m.id) >= Number(first.id))) return page;
  const older = previous.messages.filter((m) => Number(m.id) < Number(first.id));
  return { messages: merge(older, action.messages), complete: previous.complete };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'lists': {
      const unread: Record<string, number> = {};
      for (const c of action.channels) unread[c.id] = c.unreadCount ?? 0;
      for (const d of action.dms) unread[d.id] = d.unreadCount;
      return { ...state, channels: action.channels, dms: action.dms, unread };
    }
    case 'page': {
      const previous = state.histories[action.conversationId];
      const messages = merge(previous?.messages ?? [], action.messages);
      const complete = action.older || !previous ? action.complete : previous.complete;
      return { ...state, histories: { ...state.histories, [action.conversationId]: { messages, complete } } };
    }
    case 'refreshed':
      return { ...state, histories: { ...state.histories, [action.conversationId]: refreshed(state, action) } };
    case 'resync': {
      // Whatever else was loaded may have missed events: read afresh when shown again.
      const histories: Record<string, History> = {};
      const kept = action.keep && state.histories[action.keep];
      if (action.keep && kept) histories[action.keep] = kept;
      const threads: Record<string, Message[]> = {};
      const thread = action.thread && state.threads[action.thread];
      if (action.thread && thread) threads[action.thread] = thread;
      return { ...state, histories, threads };
    }
    case 'sending':
      return withPending(state, action.conversationId, (p) => [
        ...p.filter((m) => m.key !== action.pending.key),
        action.pending,
      ]);
    case 'send-failed':
      return withPending(state, action.conversationId, (p) =>
        p.map((m) => (m.key === action.key ? { ...m, status: 'failed' } : m)),
      );
    case 'posted': {
      const next = withHistory(state, action.message.channelId, (h) => ({
        ...h,
        messages: merge(h.messages, [action.message]),
      }));
      return action.key
        ? withPending(next, action.message.channelId, (p) => p.filter((m) => m.key !== action.key))
        : next;
    }
    case 'patch':
      return patchMessage(state, action.conversationId, action.id, action.patch);
    case 'removed':
      return removeMessage(state, action.conversationId, action.id, action.parentId);
    case 'thread': {
      const loaded = action.older ? (state.threads[action.parentId] ?? []) : [];
      return {
        ...state,
        threads: { ...state.threads, [action.parentId]: merge(loaded, action.replies) },
        olderReplies: { ...state.olderReplies, [action.parentId]: !action.complete },
      };
    }
    case 'replied':
      return patchMessage(addReply(state, action.parentId, action.reply), action.reply.channelId, action.parentId, {
        threadMeta: action.threadMeta,
      });
    case 'read':
      return { ...state, unread: { ...state.unread, [action.conversationId]: 0 } };
    case 'event':
      return applyEvent(state, action.event, action.me, action.open);
  }
}

function applyEvent(state: ChatState, { type, payload }: LiveEvent, me: string, open: string | undefined): ChatState {
  switch (type) {
    case 'NEW_MESSAGE':
    case 'NEW_DM_MESSAGE': {
      const message = payload as unknown as Message;
      const merged = withHistory(state, message.channelId, (h) => ({ ...h, messages: merge(h.messages, [message]) }));
      const next = message.author.id === me ? confirmPending(merged, message) : merged;
      if (message.author.id === me || message.channelId === open) return next;
      return { ...next, unread: { ...next.unread, [message.channelId]: (next.unread[message.channelId] ?? 0) + 1 } };
    }
    // A reply's edit has the same shape (plus `threadId`), and patchMessage finds replies too.
    case 'UPDATE_MESSAGE':
    case 'UPDATE_DM_MESSAGE':
    case 'UPDATE_THREAD_REPLY': {
      const p = payload as {
        id: string;
        channelId: string;
        content: string;
        mentions: Message['mentions'];
        updatedAt: number;
      };
      return patchMessage(state, p.channelId, p.id, {
        content: p.content,
        mentions: p.mentions,
        updatedAt: p.updatedAt,
      });
    }
    case 'DELETE_MESSAGE':
    case 'DELETE_DM_MESSAGE': {
      const p = payload as { id: string; channelId?: string; conversationId?: string };
      return removeMessage(state, p.channelId ?? p.conversationId ?? '', p.id);
    }
    case 'NEW_REACTION':
    case 'DELETE_REACTION': {
      const p = payload as { messageId: string; channelId: string; userId: string; reaction: string };
      return updateMessage(state, p.channelId, p.messageId, (m) => ({
        ...m,
        reactions: react(m.reactions, p, type === 'NEW_REACTION'),
      }));
    }
    case 'NEW_THREAD_REPLY': {
      const p = payload as {
        parentMessageId: string;
        channelId: string;
        reply: Message;
        threadMeta: Message['threadMeta'];
      };
      const next = p.reply ? addReply(state, p.parentMessageId, p.reply) : state;
      return patchMessage(next, p.channelId, p.parentMessageId, { threadMeta: p.threadMeta });
    }
    case 'DELETE_THREAD_REPLY': {
      const p = payload as { id: string; threadId: string; channelId: string; threadMeta: Message['threadMeta'] };
      return patchMessage(removeMessage(state, p.channelId, p.id, p.threadId), p.channelId, p.threadId, {
        threadMeta: p.threadMeta,
      });
    }
    case 'NEW_CHANNEL': {
      const channel = payload as unknown as Channel;
      if (state.channels.some((c) => c.id === channel.id)) return state;
      return { ...state, channels: [...state.channels, { ...channel, updatedAt: null }] };
    }
    case 'UPDATE_CHANNEL': {
      const p = payload as { id: string; name: string; updatedAt: number };
      return {
        ...state,
        channels: state.channels.map((c) => (c.id === p.id ? { ...c, name: p.name, updatedAt: p.updatedAt } : c)),
      };
    }
    case 'DELETE_CHANNEL': {
      const p = payload as { id: string };
      return { ...state, channels: state.channels.filter((c) => c.id !== p.id) };
    }
    default:
      return state;
  }
}

function react(
  reactions: Record<string, string[]>,
  p: { userId: string; reaction: string },
  add: boolean,
): Record<string, string[]> {
  const users = reactions[p.reaction] ?? [];
  const next = { ...reactions };
  if (add) {
    if (!users.includes(p.userId)) next[p.reaction] = [...users, p.userId];
  } else {
    const left = users.filter((u) => u !== p.userId);
    if (left.length > 0) next[p.reaction] = left;
    else delete next[p.reaction];
  }
  return next;
}
