/**
 * Every event a client can receive, as a discriminated union on `type`. Payloads follow the seed
 * (`chat-api-reference.txt`); times are epoch milliseconds, ids strings.
 */
export interface AuthorDto {
  id: string;
  userName: string;
  isBot?: true;
  /** Bots only: the avatar the webhook or the post named, else null. */
  avatarUrl?: string | null;
}

export type MentionDto = { type: 'user'; id: string } | { type: 'here' } | { type: 'channel' };

export interface ThreadMetaDto {
  replyCount: number;
  lastReplyAt: number | null;
  lastReplyBy: { id: string; userName: string } | null;
  participants: string[];
}

export interface MessagePayload {
  id: string;
  /** The conversation: a channel's id, or a DM's (the seed calls both channelId). */
  channelId: string;
  /** Thread replies only: the top-level message they answer. */
  threadId?: string;
  author: AuthorDto;
  content: string;
  images: string[];
  mentions: MentionDto[];
  createdAt: number;
  updatedAt: number | null;
  reactions: Record<string, string[]>;
  /** Top-level messages: their thread's summary, null while nobody has replied. */
  threadMeta?: ThreadMetaDto | null;
}

type Participants = { participants: string[] };
type ReactionPayload = { messageId: string; channelId: string; userId: string; reaction: string };

export type ParleyEvent =
  | { type: 'NEW_MESSAGE'; payload: MessagePayload }
  | {
      type: 'UPDATE_MESSAGE';
      payload: { id: string; channelId: string; content: string; mentions: MentionDto[]; updatedAt: number };
    }
  | { type: 'DELETE_MESSAGE'; payload: { id: string; channelId: string } }
  | {
      type: 'NEW_THREAD_REPLY';
      payload: { parentMessageId: string; channelId: string; reply: MessagePayload; threadMeta: ThreadMetaDto };
    }
  | {
      type: 'UPDATE_THREAD_REPLY';
      payload: {
        id: string;
        threadId: string;
        channelId: string;
        content: string;
        mentions: MentionDto[];
        updatedAt: number;
      };
    }
  | {
      type: 'DELETE_THREAD_REPLY';
      payload: { id: string; threadId: string; channelId: string; threadMeta: ThreadMetaDto };
    }
  | { type: 'NEW_CONVERSATION'; payload: { id: string; createdAt: number } & Participants }
  | { type: 'NEW_DM_MESSAGE'; payload: MessagePayload & Participants }
  | {
      type: 'UPDATE_DM_MESSAGE';
      payload: {
        id: string;
        channelId: string;
        conversationId: string;
        content: string;
        mentions: MentionDto[];
        updatedAt: number;
      } & Participants;
    }
  | { type: 'DELETE_DM_MESSAGE'; payload: { id: string; conversationId: string } & Participants }
  | { type: 'NEW_REACTION'; payload: ReactionPayload }
  | { type: 'DELETE_REACTION'; payload: ReactionPayload }
  | { type: 'NEW_CHANNEL'; payload: { id: string; name: string; createdAt: number } }
  | { type: 'UPDATE_CHANNEL'; payload: { id: string; name: string; updatedAt: number } }
  | { type: 'DELETE_CHANNEL'; payload: { id: string; name: string } }
  | { type: 'NEW_WEBHOOK'; payload: { id: string; name: string; channelId: string } }
  | { type: 'DELETE_WEBHOOK'; payload: { id: string; channelId: string } }
  | { type: 'NEW_USER'; payload: { id: string; userName: string; email?: string } }
  | { type: 'UPDATE_USER'; payload: { id: string; userName: string; isAdmin?: boolean } }
  | { type: 'REMOVE_USER'; payload: { id: string; userName: string; email?: string } }
  | { type: 'USER_EXIT'; payload: { id: string; userName: string } }
  | { type: 'UPDATE_SERVER_SETTINGS'; payload: { name: string } };

export type ParleyEventType = ParleyEvent['type'];

/** Stream-only frames, never stored in the log. */
export type StreamFrameType = 'CONNECTED' | 'RESYNC';
