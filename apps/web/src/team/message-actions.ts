import { createContext, Dispatch, useContext } from 'react';
import type { TeamApi } from './api';
import type { ChatAction } from './chat-state';
import type { Message } from './types';

/** What a message in the open conversation (or its thread) can do; provided by the workspace view. */
export interface MessageActions {
  me: string;
  /** The URL of an image of the open conversation (`thumb`: its thumbnail), with the current access token. */
  imageUrl: (filename: string, thumb: boolean) => string;
  /** An image URL failed: renews the access token it carried (it may have expired). */
  renewImageToken: (failedUrl: string) => Promise<void>;
  viewImage: (filename: string) => void;
  react: (message: Message, reaction: string, add: boolean) => void;
  edit: (message: Message, content: string) => Promise<void>;
  remove: (message: Message) => Promise<void>;
  openThread: (message: Message) => void;
}

export const MessageActionsContext = createContext<MessageActions | undefined>(undefined);

export function useMessageActions(): MessageActions {
  const actions = useContext(MessageActionsContext);
  if (!actions) throw new Error('MessageActionsContext is missing');
  return actions;
}

/**
 * The actions of the open conversation (`base`: its API path; `dmId` when it is a DM). The server's
 * answers go into the chat state through `dispatch`.
 */
export function messageActions(deps: {
  api: TeamApi;
  me: string;
  base: string | undefined;
  dmId: string | undefined;
  dispatch: Dispatch<ChatAction>;
  viewImage: (filename: string) => void;
  openThread: (message: Message) => void;
}): MessageActions {
  const { api, base, dmId, dispatch } = deps;
  // Edits and deletes go by the message's kind: a thread reply through its parent, a DM's through the DM.
  const messagePath = (message: Message) =>
    message.threadId
      ? `/messages/${message.threadId}/thread/${message.id}`
      : message.channelId === dmId
        ? `/conversations/${dmId}/messages/${message.id}`
        : `/messages/${message.id}`;
  const patch = (message: Message, changes: Partial<Message>) =>
    dispatch({ type: 'patch', conversationId: message.channelId, id: message.id, patch: changes });
  return {
    me: deps.me,
    // The token is read when the URL is made (an <img> cannot send a header).
    imageUrl: (filename, thumb) =>
      `${base}/messages/image/${encodeURIComponent(filename)}?${thumb ? 'size=thumb&' : ''}token=${encodeURIComponent(
        api.session.access ?? '',
      )}`,
    renewImageToken: async (failedUrl) => {
      const stale = new URL(failedUrl, window.location.href).searchParams.get('token') ?? '';
      await api.refreshed(stale); // `<img>` cannot say why it failed: an expired token is the likely cause
    },
    viewImage: deps.viewImage,
    react: (message, reaction, add) => {
      const path = `/messages/${message.id}/reactions`;
      void (add ? api.post : api.delete)<{ message: { reactions: Message['reactions'] } }>(path, { reaction })
        .then((res) => patch(message, { reactions: res.message.reactions }))
        .catch(() => undefined);
    },
    edit: async (message, content) => {
      const res = await api.put<{ message: Pick<Message, 'content' | 'mentions' | 'updatedAt'> }>(
        messagePath(message),
        { content },
      );
      const { content: c, mentions, updatedAt } = res.message;
      patch(message, { content: c, mentions, updatedAt });
    },
    remove: async (message) => {
      await api.delete(messagePath(message));
      dispatch({ type: 'removed', conversationId: message.channelId, id: message.id, parentId: message.threadId });
    },
    openThread: deps.openThread,
  };
}

/** A handful of common emoji for "Add reaction". */
export const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '👀', '✅'];
