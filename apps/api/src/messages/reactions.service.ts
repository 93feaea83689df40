import { Injectable } from '@nestjs/common';
import { BadRequestError, ConflictError, NotFoundError } from '@parley/common';
import {
  isForeignKeyViolation,
  MessageRecord,
  MessagesRepository,
  Principal,
  ReactionsRepository,
} from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { audienceOf, ConversationAccess } from '../conversations/conversation-access.service';
import { recordEvent } from '../events/record-event';

/** Different reactions one message may carry (each may be given by any number of users). */
export const MAX_DISTINCT_REACTIONS = 50;

// An emoji (with modifiers and joiners) or a :short_code:, never control characters.
const VALID_REACTION = /^[^\p{Cc}\s]+$/u;

/**
 * Reactions are idempotent: adding one twice or removing one that is absent answers the current
 * state and emits nothing. Whoever can read the message may react; on a DM message that is only
 * its participants, who alone hear of it.
 */
@Injectable()
export class ReactionsService {
  constructor(
    private readonly reactions: ReactionsRepository,
    private readonly messages: MessagesRepository,
    private readonly access: ConversationAccess,
    private readonly uow: UnitOfWork,
  ) {}

  add(me: Principal, messageId: string, reaction: string): Promise<MessageRecord> {
    return this.change(me, messageId, reaction, 'add');
  }

  remove(me: Principal, messageId: string, reaction: string): Promise<MessageRecord> {
    return this.change(me, messageId, reaction, 'remove');
  }

  private async change(me: Principal, messageId: string, reaction: string, op: 'add' | 'remove') {
    if (!VALID_REACTION.test(reaction)) {
      throw new BadRequestError('reaction must be an emoji or a :short_code: without spaces', 'VALIDATION_FAILED');
    }
    const { conversation } = await this.access.message(me, messageId);
    // The message may be deleted meanwhile: its foreign key then refuses the reaction.
    const gone = (error: unknown) => {
      throw isForeignKeyViolation(error) ? new NotFoundError('Message', 'MESSAGE_NOT_FOUND') : error;
    };
    return this.uow.run(async (tx, events) => {
      let changed: boolean;
      if (op === 'add') {
        const outcome = await this.reactions
          .add(me.workspaceId, messageId, me.userId, reaction, MAX_DISTINCT_REACTIONS, tx)
          .catch(gone);
        if (outcome === 'refused') {
          throw new ConflictError(
            `A message takes at most ${MAX_DISTINCT_REACTIONS} different reactions`,
            'TOO_MANY_REACTIONS',
          );
        }
        changed = outcome === 'added';
      } else {
        changed = await this.reactions.remove(me.workspaceId, messageId, me.userId, reaction, tx);
      }
      if (changed) {
        recordEvent(
          events,
          me.workspaceId,
          {
            type: op === 'add' ? 'NEW_REACTION' : 'DELETE_REACTION',
            payload: { messageId, channelId: conversation.id, userId: me.userId, reaction },
          },
          audienceOf(conversation),
        );
      }
      const message = await this.messages.findById(me.workspaceId, messageId, tx);
      if (!message) throw new NotFoundError('Message', 'MESSAGE_NOT_FOUND');
      return message;
    });
  }
}
