import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { MessageRecord, ThreadSummary } from '@parley/database';
import { MessagePayload, ThreadMetaDto } from '../../events/event-types';

/** Length and emptiness are checked by `assertMessageContent` (413 above the limit, not 400). */
export class MessageContentDto {
  @IsString()
  content!: string;
}

/** A new message: `content` may be empty when it carries images (names from the image upload routes). */
export class NewMessageDto {
  @IsOptional()
  @IsString()
  content?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  images?: string[];
}

export class ReactionDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 64, { message: 'reaction must be 1 to 64 characters' })
  reaction!: string;
}

export class MarkReadDto {
  @IsString()
  @Length(1, 20)
  messageId!: string;
}

export type MessageResponseDto = MessagePayload;

export const toThreadMeta = (thread: ThreadSummary | null): ThreadMetaDto =>
  thread
    ? {
        replyCount: thread.replyCount,
        lastReplyAt: thread.lastReplyAt.getTime(),
        lastReplyBy: thread.lastReplyBy,
        participants: thread.participants,
      }
    : { replyCount: 0, lastReplyAt: null, lastReplyBy: null, participants: [] };

/**
 * The API's message shape. For a new top-level channel message it must equal the NEW_MESSAGE
 * payload MessagesRepository.insertBatchWithEvents builds in SQL (test/sse.e2e-spec.ts checks).
 */
export const toMessageDto = (m: MessageRecord): MessageResponseDto => ({
  id: m.id,
  channelId: m.conversationId,
  ...(m.threadParentId !== null ? { threadId: m.threadParentId } : {}),
  author: m.isBot
    ? {
        id: `webhook:${m.authorWebhookId ?? 'unknown'}`,
        userName: m.authorName ?? 'bot',
        isBot: true,
        avatarUrl: m.botAvatarUrl,
      }
    : { id: m.authorUserId ?? 'deleted', userName: m.authorName ?? 'deleted user' },
  content: m.content,
  images: m.images,
  mentions: m.mentions,
  createdAt: m.createdAt.getTime(),
  updatedAt: m.updatedAt?.getTime() ?? null,
  reactions: m.reactions,
  ...(m.threadParentId === null ? { threadMeta: m.thread && toThreadMeta(m.thread) } : {}),
});
