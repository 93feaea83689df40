import { Injectable } from '@nestjs/common';
import { ConflictError, isUuid, NotFoundError } from '@parley/common';
import {
  ChannelRecord,
  ConversationsRepository,
  isUniqueViolation,
  Principal,
  ReadState,
  WebhooksRepository,
} from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { recordEvent } from '../events/record-event';

@Injectable()
export class ChannelsService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly uow: UnitOfWork,
  ) {}

  list(workspaceId: string): Promise<ChannelRecord[]> {
    return this.conversations.listChannels(workspaceId);
  }

  /** The workspace's channels with the caller's unread counts. */
  listFor(me: Principal): Promise<Array<ChannelRecord & ReadState>> {
    return this.conversations.listChannelsFor(me.workspaceId, me.userId);
  }

  /** The channel, if it exists in this workspace; anything else is a 404. */
  async require(workspaceId: string, channelId: string): Promise<ChannelRecord> {
    const channel = isUuid(channelId) ? await this.conversations.findChannel(workspaceId, channelId) : undefined;
    if (!channel) throw new NotFoundError('Channel', 'CHANNEL_NOT_FOUND');
    return channel;
  }

  create(me: Principal, name: string): Promise<ChannelRecord> {
    return this.uow.run(async (tx, events) => {
      const channel = await this.conversations.createChannel(me.workspaceId, name, me.userId, tx);
      if (!channel) throw new ConflictError('A channel with that name exists', 'CHANNEL_NAME_TAKEN');
      recordEvent(events, me.workspaceId, {
        type: 'NEW_CHANNEL',
        payload: { id: channel.id, name: channel.name, createdAt: channel.createdAt.getTime() },
      });
      return channel;
    });
  }

  async rename(me: Principal, channelId: string, name: string): Promise<ChannelRecord> {
    await this.require(me.workspaceId, channelId);
    try {
      return await this.uow.run(async (tx, events) => {
        const channel = await this.conversations.renameChannel(me.workspaceId, channelId, name, tx);
        if (!channel) throw new NotFoundError('Channel', 'CHANNEL_NOT_FOUND');
        recordEvent(events, me.workspaceId, {
          type: 'UPDATE_CHANNEL',
          payload: { id: channel.id, name: channel.name, updatedAt: (channel.updatedAt ?? new Date()).getTime() },
        });
        return channel;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('A channel with that name exists', 'CHANNEL_NAME_TAKEN');
      throw error;
    }
  }

  async delete(me: Principal, channelId: string): Promise<void> {
    await this.require(me.workspaceId, channelId);
    await this.uow.run(async (tx, events) => {
      // Its webhooks go with it (ON DELETE CASCADE); clients hear of each.
      const webhooks = await this.webhooks.listForChannel(me.workspaceId, channelId, tx);
      const channel = await this.conversations.deleteChannel(me.workspaceId, channelId, tx);
      if (!channel) throw new NotFoundError('Channel', 'CHANNEL_NOT_FOUND');
      for (const w of webhooks) {
        recordEvent(events, me.workspaceId, { type: 'DELETE_WEBHOOK', payload: { id: w.id, channelId: w.channelId } });
      }
      recordEvent(events, me.workspaceId, { type: 'DELETE_CHANNEL', payload: { id: channel.id, name: channel.name } });
    });
  }
}
