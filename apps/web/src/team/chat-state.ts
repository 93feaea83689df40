import type { LiveEvent } from './live-events';
import type { Channel, DirectConversation, Message } from './types';

/** One conversation's loaded history: oldest first; `complete` once the first message is in. */
export interface History {
  messages: Message[];
  complete: boolean;
}

export interface ChatState {
  channels: Channel[];
  dms: DirectConversation[];
  histories: Record<string, History>;
  /** Unread counts by conversation id (from the lists, then kept up to date by events). */
  unread: Record<string, number>;
}

export const emptyChat: ChatState = { channels: [], dms: [], histories: {}, unread: {} };

export type ChatAction =
  | { type: 'lists'; channels: Channel[]; dms: DirectConversation[] }
  | { type: 'page'; conversationId: string; messages: Message[]; older: boolean; complete: boolean }
  | { type: 'posted'; message: Message }
  | { type: 'read'; conversationId: string }
  | { type: 'event'; event: LiveEvent; me: string; open: string | undefined };

/** Adds or replaces messages by id, keeping id order (ids are increasing numbers as strings). */
function merge(existing: Message[], incoming: Message[]): Message[] {
  const byId = new Map(existing.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

function withHistory(state: ChatState, id: string, update: (h: History) => History): ChatState {
  const history = state.histories[id];
  if (!history) return state; // never opened: it is read fresh when it is
  return { ...state, histories: { ...state.histories, [id]: update(history) } };
}

function patchMessage(state: ChatState, conversationId: string, id: string, patch: Partial<Message>): ChatState {
  return withHistory(state, conversationId, (h) => ({
    ...h,
    messages: h.messages.map((m) => (m.id === id ? { ...m, ...patch } : m)),
  }));
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
    case 'posted':
      return withHistory(state, action.message.channelId, (h) => ({
        ...h,
        messages: merge(h.messages, [action.message]),
      }));
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
      const next = withHistory(state, message.channelId, (h) => ({ ...h, messages: merge(h.messages, [message]) }));
      if (message.author.id === me || message.channelId === open) return next;
      return { ...next, unread: { ...next.unread, [message.channelId]: (next.unread[message.channelId] ?? 0) + 1 } };
    }
    case 'UPDATE_MESSAGE':
    case 'UPDATE_DM_MESSAGE': {
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
      const conversationId = p.channelId ?? p.conversationId ?? '';
      return withHistory(state, conversationId, (h) => ({ ...h, messages: h.messages.filter((m) => m.id !== p.id) }));
    }
    case 'NEW_REACTION':
    case 'DELETE_REACTION': {
      const p = payload as { messageId: string; channelId: string; userId: string; reaction: string };
      return withHistory(state, p.channelId, (h) => ({
        ...h,
        messages: h.messages.map((m) =>
          m.id === p.messageId ? { ...m, reactions: react(m.reactions, p, type === 'NEW_REACTION') } : m,
        ),
      }));
    }
    case 'NEW_THREAD_REPLY':
    case 'DELETE_THREAD_REPLY': {
      const p = payload as {
        parentMessageId?: string;
        threadId?: string;
        channelId: string;
        threadMeta: Message['threadMeta'];
      };
      return patchMessage(state, p.channelId, p.parentMessageId ?? p.threadId ?? '', { threadMeta: p.threadMeta });
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
