/**
 * Every event a client can receive, as a discriminated union on `type`. Payloads follow the seed
 * (`chat-api-reference.txt`); times are epoch milliseconds, ids strings.
 */
export interface AuthorDto {
  id: string;
  userName: string;
  isBot?: true;
}

export interface MessagePayload {
  id: string;
  channelId: string;
  author: AuthorDto;
  content: string;
  createdAt: number;
  updatedAt: number | null;
  reactions: Record<string, string[]>;
}

export type ParleyEvent =
  | { type: 'NEW_MESSAGE'; payload: MessagePayload }
  | { type: 'UPDATE_MESSAGE'; payload: { id: string; channelId: string; content: string; updatedAt: number } }
  | { type: 'DELETE_MESSAGE'; payload: { id: string; channelId: string } }
  | { type: 'NEW_CHANNEL'; payload: { id: string; name: string; createdAt: number } }
  | { type: 'UPDATE_CHANNEL'; payload: { id: string; name: string; updatedAt: number } }
  | { type: 'DELETE_CHANNEL'; payload: { id: string; name: string } }
  | { type: 'NEW_WEBHOOK'; payload: { id: string; name: string; channelId: string } }
  | { type: 'DELETE_WEBHOOK'; payload: { id: string; channelId: string } }
  | { type: 'NEW_USER'; payload: { id: string; userName: string; email?: string } }
  | { type: 'UPDATE_USER'; payload: { id: string; userName: string } }
  | { type: 'UPDATE_SERVER_SETTINGS'; payload: { name: string } };

export type ParleyEventType = ParleyEvent['type'];

/** Stream-only frames, never stored in the log. */
export type StreamFrameType = 'CONNECTED' | 'RESYNC';
