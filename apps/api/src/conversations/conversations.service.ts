import { Injectable } from '@nestjs/common';
import { BadRequestError, isMessageId, isUuid, NotFoundError } from '@parley/common';
import { ConversationKind, ConversationsRepository, DmRecord, Principal, UsersRepository } from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { recordEvent } from '../events/record-event';
import { ConversationAccess } from './conversation-access.service';

export interface DmDto {
  id: string;
  participants: string[];
  createdAt: number;
  lastMessageAt: number | null;
  otherUser: { id: string; userName: string };
  unreadCount: number;
}

/** DMs (create-or-get, list) and every conversation's per-user read marker. */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly users: UsersRepository,
    private readonly access: ConversationAccess,
    private readonly uow: UnitOfWork,
  ) {}

  async list(me: Principal): Promise<DmDto[]> {
    const dms = await this.conversations.listDmsFor(me.workspaceId, me.userId);
    return this.withNames(me, dms);
  }

  /**
   * The DM between the caller and `targetUserId` (a member of this workspace; the caller alone is
   * a notes-to-self DM). Idempotent under concurrency: the unique DM key makes one of two
   * simultaneous creates insert and the other find it; only the creator emits NEW_CONVERSATION.
   */
  async createOrGet(me: Principal, targetUserId: string): Promise<{ conversation: DmDto; isNew: boolean }> {
    const target = isUuid(targetUserId) ? await this.users.findMember(me.workspaceId, targetUserId) : undefined;
    if (!target) throw new NotFoundError('User', 'USER_NOT_FOUND');
    const participants = [...new Set([me.userId, target.id])].sort();
    const dm = await this.uow.run(async (tx, events) => {
      const result = await this.conversations.createOrGetDm(me.workspaceId, participants, me.userId, tx);
      if (result.isNew) {
        recordEvent(
          events,
          me.workspaceId,
          { type: 'NEW_CONVERSATION', payload: { id: result.id, participants, createdAt: result.createdAt.getTime() } },
          { recipientIds: participants },
        );
      }
      return result;
    });
    const [conversation] = await this.withNames(me, [
      { ...dm, workspaceId: me.workspaceId, participants, lastMessageAt: null, unreadCount: 0 },
    ]);
    return { conversation: conversation, isNew: dm.isNew };
  }

  /** 404 unless this is a DM the caller is in (a channel's id is not a conversation here). */
  async requireDm(me: Principal, conversationId: string): Promise<void> {
    await this.access.conversation(me, conversationId, 'dm');
  }

  /** Moves the caller's read marker in a channel or DM; answers the new unread count. */
  async markRead(me: Principal, conversationId: string, kind: ConversationKind, messageId: string) {
    await this.access.conversation(me, conversationId, kind);
    if (!isMessageId(messageId)) throw new BadRequestError('messageId must be a message id', 'VALIDATION_FAILED');
    const marked = await this.conversations.markRead(me.workspaceId, conversationId, me.userId, messageId);
    if (!marked) throw new NotFoundError('Message', 'MESSAGE_NOT_FOUND');
    const unreadCount = await this.conversations.unreadCount(me.workspaceId, conversationId, me.userId);
    return { lastReadMessageId: marked.lastReadMessageId, unreadCount };
  }

  private async withNames(me: Principal, dms: DmRecord[]): Promise<DmDto[]> {
    const ids = [...new Set(dms.flatMap((d) => d.participants))];
    const names = new Map((await this.conversations.namesOf(ids)).map((u) => [u.id, u.userName]));
    return dms.map((d) => {
      const otherId = d.participants.find((p) => p !== me.userId) ?? me.userId;
      return {
        id: d.id,
        participants: d.participants,
        createdAt: d.createdAt.getTime(),
        lastMessageAt: d.lastMessageAt?.getTime() ?? null,
        otherUser: { id: otherId, userName: names.get(otherId) ?? 'deleted user' },
        unreadCount: d.unreadCount,
      };
    });
  }
}
