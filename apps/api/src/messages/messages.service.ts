import { Injectable } from '@nestjs/common';
import { assertMessageContent, ForbiddenError, isMessageId, NotFoundError, Page } from '@parley/common';
import { MessageRecord, MessagesRepository, NewMessage, Principal } from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { ChannelsService } from '../channels/channels.service';
import { recordEvent } from '../events/record-event';
import { MessageWriter } from './message-writer.service';

@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly channels: ChannelsService,
    private readonly writer: MessageWriter,
    private readonly uow: UnitOfWork,
  ) {}

  async list(me: Principal, channelId: string, page: Page): Promise<MessageRecord[]> {
    await this.channels.require(me.workspaceId, channelId);
    return this.messages.listPage(me.workspaceId, channelId, page);
  }

  async post(me: Principal, channelId: string, content: unknown): Promise<MessageRecord> {
    const text = assertMessageContent(content);
    await this.channels.require(me.workspaceId, channelId);
    return this.create(me.workspaceId, {
      conversationId: channelId,
      authorUserId: me.userId,
      authorWebhookId: null,
      botName: null,
      content: text,
    });
  }

  /** Writes a message and its NEW_MESSAGE event; answered only after both are committed. */
  create(workspaceId: string, message: NewMessage): Promise<MessageRecord> {
    return this.writer.write(workspaceId, message);
  }

  async edit(me: Principal, messageId: string, content: unknown): Promise<MessageRecord> {
    const text = assertMessageContent(content);
    const message = await this.require(me, messageId);
    if (message.authorUserId !== me.userId) {
      throw new ForbiddenError('You can only edit your own messages', 'NOT_MESSAGE_AUTHOR');
    }
    return this.uow.run(async (tx, events) => {
      const updated = await this.messages.updateContent(me.workspaceId, messageId, text, tx);
      if (!updated) throw new NotFoundError('Message', 'MESSAGE_NOT_FOUND');
      recordEvent(events, me.workspaceId, {
        type: 'UPDATE_MESSAGE',
        payload: {
          id: updated.id,
          channelId: updated.conversationId,
          content: updated.content,
          updatedAt: (updated.updatedAt ?? new Date()).getTime(),
        },
      });
      return updated;
    });
  }

  /** Authors delete their own messages; admins delete any. */
  async delete(me: Principal, messageId: string): Promise<void> {
    const message = await this.require(me, messageId);
    if (message.authorUserId !== me.userId && me.role !== 'admin') {
      throw new ForbiddenError('You can only delete your own messages', 'NOT_MESSAGE_AUTHOR');
    }
    await this.uow.run(async (tx, events) => {
      if (!(await this.messages.delete(me.workspaceId, messageId, tx))) {
        throw new NotFoundError('Message', 'MESSAGE_NOT_FOUND');
      }
      recordEvent(events, me.workspaceId, {
        type: 'DELETE_MESSAGE',
        payload: { id: message.id, channelId: message.conversationId },
      });
    });
  }

  private async require(me: Principal, messageId: string): Promise<MessageRecord> {
    const message = isMessageId(messageId) ? await this.messages.findById(me.workspaceId, messageId) : undefined;
    if (!message) throw new NotFoundError('Message', 'MESSAGE_NOT_FOUND');
    return message;
  }
}
