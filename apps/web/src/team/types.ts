/** Shapes of the team API (docs/api.md), as the page uses them. Ids are strings, times epoch ms. */

export interface User {
  id: string;
  userName: string;
  email?: string;
  isAdmin?: boolean;
}

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  role: 'admin' | 'user';
  createdAt: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  exp: number;
}

export interface Channel {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number | null;
  unreadCount?: number;
}

export interface DirectConversation {
  id: string;
  participants: string[];
  createdAt: number;
  lastMessageAt: number | null;
  otherUser: { id: string; userName: string };
  unreadCount: number;
}

export interface Author {
  id: string;
  userName: string;
  isBot?: boolean;
  avatarUrl?: string | null;
}

export interface ThreadMeta {
  replyCount: number;
  lastReplyAt: number;
  lastReplyBy: { id: string; userName: string };
  participants: string[];
}

export interface Message {
  id: string;
  channelId: string;
  author: Author;
  content: string;
  images: string[];
  mentions: Array<{ type: 'user'; id: string } | { type: 'here' } | { type: 'channel' }>;
  createdAt: number;
  updatedAt: number | null;
  reactions: Record<string, string[]>;
  threadMeta?: ThreadMeta | null;
  threadId?: string;
}

/** What the login screen may offer (`GET /auth/config`). */
export interface AuthConfig {
  modes: string[];
  registration: boolean;
  providers: Array<{ id: string; name: string; loginUrl: string }>;
}

/** Every error of the API: `{error, code}`. */
export interface ApiErrorBody {
  error: string;
  code: string;
}
