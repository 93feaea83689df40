import { Injectable } from '@nestjs/common';
import { isMessageId, isUuid, NotFoundError } from '@parley/common';
import {
  ConversationKind,
  ConversationRef,
  ConversationsRepository,
  MessageRecord,
  MessagesRepository,
  Principal,
} from '@parley/database';
import { Audience } from '../events/record-event';

const notFound = (kind: ConversationKind | undefined) =>
  kind === 'dm'
    ? new NotFoundError('Conversation', 'CONVERSATION_NOT_FOUND')
    : new NotFoundError(
        kind === 'channel' ? 'Channel' : 'Conversation',
        kind === 'channel' ? 'CHANNEL_NOT_FOUND' : 'CONVERSATION_NOT_FOUND',
      );

/**
 * Authorisation follows the conversation, not the route (PRODUCT.md §4): a channel is open to every
 * member of its workspace, a DM only to its participants. Anything else — another workspace, a DM
 * the caller is not in, a malformed id — is indistinguishable from missing.
 */
@Injectable()
export class ConversationAccess {
  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  async conversation(me: Principal, conversationId: string, kind?: ConversationKind): Promise<ConversationRef> {
    const found = isUuid(conversationId)
      ? await this.conversations.findConversation(me.workspaceId, conversationId)
      : undefined;
    if (!found || (kind !== undefined && found.kind !== kind) || !canRead(me, found)) throw notFound(kind);
    return found;
  }

  async message(me: Principal, messageId: string): Promise<{ message: MessageRecord; conversation: ConversationRef }> {
    const message = isMessageId(messageId) ? await this.messages.findById(me.workspaceId, messageId) : undefined;
    const conversation = message && (await this.conversations.findConversation(me.workspaceId, message.conversationId));
    if (!message || !conversation || !canRead(me, conversation)) {
      throw new NotFoundError('Message', 'MESSAGE_NOT_FOUND');
    }
    return { message, conversation };
  }
}

const canRead = (me: Principal, c: ConversationRef): boolean =>
  c.participants === null || c.participants.includes(me.userId);

/** Who hears of a change in this conversation: everyone in the workspace, or a DM's participants. */
export const audienceOf = (c: ConversationRef): Audience =>
  c.participants === null ? {} : { recipientIds: c.participants };
