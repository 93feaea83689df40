import { createContext, useContext } from 'react';
import type { Message } from './types';

/** What a message in the open conversation (or its thread) can do; provided by the workspace view. */
export interface MessageActions {
  me: string;
  /** The URL of an image of the open conversation (`thumb`: its thumbnail). */
  imageUrl: (filename: string, thumb: boolean) => string;
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

/** A handful of common emoji for "Add reaction". */
export const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '👀', '✅'];
