import { IsString } from 'class-validator';
import { MessageRecord } from '@parley/database';
import { MessagePayload } from '../../events/event-types';

/** Length and emptiness are checked by `assertMessageContent` (413 above the limit, not 400). */
export class MessageContentDto {
  @IsString()
  content!: string;
}

export type MessageResponseDto = MessagePayload;

export const toMessageDto = (m: MessageRecord): MessageResponseDto => ({
  id: m.id,
  channelId: m.conversationId,
  author: m.isBot
    ? { id: `webhook:${m.authorWebhookId ?? 'unknown'}`, userName: m.authorName ?? 'bot', isBot: true }
    : { id: m.authorUserId ?? 'deleted', userName: m.authorName ?? 'deleted user' },
  content: m.content,
  createdAt: m.createdAt.getTime(),
  updatedAt: m.updatedAt?.getTime() ?? null,
  reactions: {},
});
