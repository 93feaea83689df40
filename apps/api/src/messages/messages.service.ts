import { Injectable } from '@nestjs/common';
import {
  assertMessageContent,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  Page,
  UnauthorizedError,
} from '@parley/common';
import {
  ConversationKind,
  ConversationRef,
  isForeignKeyViolation,
  MessageRecord,
  MessagesRepository,
  NewMessage,
  Principal,
} from '@parley/database';
import { EventRecorder, UnitOfWork } from '@parley/events';
import { audienceOf, ConversationAccess } from '../conversations/conversation-access.service';
import { recordEvent } from '../events/record-event';
import { ImagesService } from '../images/images.service';
import { ThreadMetaDto } from '../events/event-types';
import { toMessageDto, toThreadMeta } from './dto/message.dto';
import { MentionsService } from './mentions.service';
import { MessageWriter, Written } from './message-writer.service';

/** A bot reply's Idempotency-Key was used by an earlier post; the reply was rolled back. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('Idempotency-Key already used');
    this.name = 'IdempotencyKeyTaken';
  }
}

/** What a user posts: text, images uploaded to the conversation, or both. */
export interface MessageInput {
  content?: unknown;
  images?: readonly unknown[];
}

/** Which message a route addresses: any, one of a conversation's, or one of a thread's replies. */
export type MessageScope = { conversationId: string } | { threadId: string } | undefined;

/**
 * Messages of every conversation kind. Top-level channel posts go through the batched writer (the
 * hot path); DM messages and thread replies are written in a unit of work with their event, whose
 * type and audience follow the conversation (DM events reach only the participants).
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly access: ConversationAccess,
    private readonly mentions: MentionsService,
    private readonly images: ImagesService,
    private readonly writer: MessageWriter,
    private readonly uow: UnitOfWork,
  ) {}

  async list(me: Principal, conversationId: string, kind: ConversationKind, page: Page): Promise<MessageRecord[]> {
    await this.access.conversation(me, conversationId, kind);
    return this.messages.listPage(me.workspaceId, conversationId, page);
  }

  async post(
    me: Principal,
    conversationId: string,
    kind: ConversationKind,
    input: MessageInput,
  ): Promise<MessageRecord> {
    const conversation = await this.access.conversation(me, conversationId, kind);
    const message = await this.fromInput(me, conversation, input);
    if (conversation.kind === 'channel') return (await this.create(me.workspaceId, message)).message;
    return this.uow.run(async (tx, events) => {
      const dm = await this.messages.insertOne(me.workspaceId, { ...message, threadParentId: null }, tx);
      const participants = conversation.participants ?? [];
      recordEvent(
        events,
        me.workspaceId,
        { type: 'NEW_DM_MESSAGE', payload: { ...toMessageDto(dm), participants } },
        audienceOf(conversation),
      );
      return dm;
    });
  }

  /** Writes a top-level channel message and its NEW_MESSAGE event; answered after both commit. */
  create(workspaceId: string, message: NewMessage): Promise<Written> {
    return this.writer.write(workspaceId, message);
  }

  async listReplies(me: Principal, parentId: string, page: Page): Promise<MessageRecord[]> {
    const { message } = await this.access.message(me, parentId);
    if (message.threadParentId !== null) throw new NotFoundError('Thread', 'THREAD_NOT_FOUND');
    return this.messages.listReplies(me.workspaceId, parentId, page);
  }

  /** Replies to a top-level message (of a channel or a DM) as the caller. */
  async reply(
    me: Principal,
    parentId: string,
    input: MessageInput,
  ): Promise<{ reply: MessageRecord; threadMeta: ThreadMetaDto }> {
    const { message: parent, conversation } = await this.access.message(me, parentId);
    return this.writeReply(me.workspaceId, parent, conversation, await this.fromInput(me, conversation, input));
  }

  /**
   * A user's new message: content (may be empty only when images come with it), images uploaded to
   * this conversation, mentions resolved.
   */
  private async fromInput(me: Principal, conversation: ConversationRef, input: MessageInput): Promise<NewMessage> {
    const images = input.images?.length
      ? await this.images.requireAttachable(me.workspaceId, conversation.id, input.images)
      : [];
    const blank = input.content === undefined || (typeof input.content === 'string' && input.content.trim() === '');
    const text = images.length > 0 && blank ? '' : assertMessageContent(input.content);
    return {
      conversationId: conversation.id,
      authorUserId: me.userId,
      authorWebhookId: null,
      botName: null,
      content: text,
      images,
      mentions: await this.mentions.resolve(me.workspaceId, text, conversation),
    };
  }

  /**
   * Writes a reply and the parent's new thread summary, and records NEW_THREAD_REPLY. A bot reply
   * whose Idempotency-Key was used before throws IdempotencyKeyTaken, having written nothing.
   */
  async writeReply(
    workspaceId: string,
    parent: MessageRecord,
    conversation: ConversationRef,
    reply: NewMessage,
  ): Promise<{ reply: MessageRecord; threadMeta: ThreadMetaDto }> {
    if (parent.threadParentId !== null) {
      throw new BadRequestError('Replies go to top-level messages, not to replies', 'THREAD_PARENT_NOT_TOP_LEVEL');
    }
    return this.uow.run(async (tx, events) => {
      // The parent may be deleted meanwhile: its foreign key then refuses the reply.
      const written = await this.messages
        .insertOne(workspaceId, { ...reply, threadParentId: parent.id }, tx)
        .catch((error: unknown) => {
          throw isForeignKeyViolation(error) ? new NotFoundError('Message', 'MESSAGE_NOT_FOUND') : error;
        });
      // A bot reply is written only while its webhook exists (locked until commit) and only once
      // per Idempotency-Key; otherwise the whole reply rolls back.
      if (reply.authorWebhookId !== null) {
        const claim = await this.messages.claimWebhookReply(
          reply.authorWebhookId,
          reply.idempotencyKey ?? null,
          written.id,
          tx,
        );
        if (!claim.alive) throw new UnauthorizedError('Invalid webhook id or token', 'INVALID_WEBHOOK_TOKEN');
        if (!claim.claimed) throw new IdempotencyKeyTaken();
      }
      const threadMeta = await this.threadMeta(workspaceId, parent.id, tx);
      recordEvent(
        events,
        workspaceId,
        {
          type: 'NEW_THREAD_REPLY',
          payload: { parentMessageId: parent.id, channelId: conversation.id, reply: toMessageDto(written), threadMeta },
        },
        audienceOf(conversation),
      );
      return { reply: written, threadMeta };
    });
  }

  /** Only the author edits; the event's type and audience follow the message's kind. */
  async edit(me: Principal, messageId: string, content: unknown, scope?: MessageScope): Promise<MessageRecord> {
    const text = assertMessageContent(content);
    const { message, conversation } = await this.requireInScope(me, messageId, scope);
    if (message.authorUserId !== me.userId) {
      throw new ForbiddenError('You can only edit your own messages', 'NOT_MESSAGE_AUTHOR');
    }
    const mentions = await this.mentions.resolve(me.workspaceId, text, conversation);
    return this.uow.run(async (tx, events) => {
      const updated = await this.messages.updateContent(me.workspaceId, messageId, text, mentions, tx);
      if (!updated) throw new NotFoundError('Message', 'MESSAGE_NOT_FOUND');
      recordEdit(events, me.workspaceId, updated, conversation);
      return updated;
    });
  }

  /** Authors delete their own messages; admins delete any they can see. */
  async delete(me: Principal, messageId: string, scope?: MessageScope): Promise<void> {
    const { message, conversation } = await this.requireInScope(me, messageId, scope);
    if (message.authorUserId !== me.userId && me.role !== 'admin') {
      throw new ForbiddenError('You can only delete your own messages', 'NOT_MESSAGE_AUTHOR');
    }
    await this.uow.run(async (tx, events) => {
      if (message.threadParentId !== null) await this.messages.lockParent(me.workspaceId, message.threadParentId, tx);
      if (!(await this.messages.delete(me.workspaceId, messageId, tx))) {
        throw new NotFoundError('Message', 'MESSAGE_NOT_FOUND');
      }
      const audience = audienceOf(conversation);
      if (message.threadParentId !== null) {
        await this.messages.refreshThreadSummary(me.workspaceId, message.threadParentId, tx);
        const threadMeta = await this.threadMeta(me.workspaceId, message.threadParentId, tx);
        recordEvent(
          events,
          me.workspaceId,
          {
            type: 'DELETE_THREAD_REPLY',
            payload: { id: message.id, threadId: message.threadParentId, channelId: conversation.id, threadMeta },
          },
          audience,
        );
      } else if (conversation.kind === 'dm') {
        recordEvent(
          events,
          me.workspaceId,
          {
            type: 'DELETE_DM_MESSAGE',
            payload: { id: message.id, conversationId: conversation.id, participants: conversation.participants ?? [] },
          },
          audience,
        );
      } else {
        recordEvent(events, me.workspaceId, {
          type: 'DELETE_MESSAGE',
          payload: { id: message.id, channelId: conversation.id },
        });
      }
    });
  }

  private async threadMeta(workspaceId: string, parentId: string, tx: Parameters<MessagesRepository['findById']>[2]) {
    const parent = await this.messages.findById(workspaceId, parentId, tx);
    return toThreadMeta(parent?.thread ?? null);
  }

  private async requireInScope(me: Principal, messageId: string, scope: MessageScope) {
    const found = await this.access.message(me, messageId);
    const { message } = found;
    const inScope =
      scope === undefined ||
      ('conversationId' in scope
        ? message.conversationId === scope.conversationId && message.threadParentId === null
        : message.threadParentId === scope.threadId);
    if (!inScope) throw new NotFoundError('Message', 'MESSAGE_NOT_FOUND');
    return found;
  }
}

function recordEdit(events: EventRecorder, workspaceId: string, m: MessageRecord, conversation: ConversationRef): void {
  const updatedAt = (m.updatedAt ?? new Date()).getTime();
  const common = { id: m.id, channelId: conversation.id, content: m.content, mentions: m.mentions, updatedAt };
  const audience = audienceOf(conversation);
  if (m.threadParentId !== null) {
    recordEvent(
      events,
      workspaceId,
      { type: 'UPDATE_THREAD_REPLY', payload: { ...common, threadId: m.threadParentId } },
      audience,
    );
  } else if (conversation.kind === 'dm') {
    recordEvent(
      events,
      workspaceId,
      {
        type: 'UPDATE_DM_MESSAGE',
        payload: { ...common, conversationId: conversation.id, participants: conversation.participants ?? [] },
      },
      audience,
    );
  } else {
    recordEvent(events, workspaceId, { type: 'UPDATE_MESSAGE', payload: common });
  }
}
