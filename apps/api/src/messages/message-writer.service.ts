import { Injectable } from '@nestjs/common';
import { ConflictError, GroupCommit, NotFoundError, UnauthorizedError } from '@parley/common';
import {
  BatchOutcome,
  isForeignKeyViolation,
  isStatementFailure,
  MessageRecord,
  MessagesRepository,
  NewMessage,
} from '@parley/database';
import { EventBus } from '@parley/events';

/** A written message; `replayed` when an Idempotency-Key matched an earlier post, whose message it is. */
export interface Written {
  message: MessageRecord;
  replayed: boolean;
}

type Pending = NewMessage & { workspaceId: string };

const MAX_BATCH = 500;

/**
 * Writes new messages in batches (GroupCommit): posts that arrive while a write is committing are
 * written together in the next one — messages and their events in a single statement, so one
 * round trip and one commit — and each caller is answered only after that commit. One write in
 * flight at a time: three concurrent writers measured no better (docs/plans/3.md).
 */
@Injectable()
export class MessageWriter {
  private readonly batches = new GroupCommit<Pending, BatchOutcome>(
    async (batch) => {
      const outcomes = await this.messages.insertBatchWithEvents(batch);
      if (outcomes.some((o) => o !== undefined && 'message' in o)) this.bus.notifyCommitted();
      return outcomes;
    },
    { maxBatch: MAX_BATCH, retryable: isStatementFailure },
  );

  constructor(
    private readonly messages: MessagesRepository,
    private readonly bus: EventBus,
  ) {}

  async write(workspaceId: string, message: NewMessage): Promise<Written> {
    const pending = { ...message, workspaceId };
    const outcome = await this.batches.submit(pending).catch((error: unknown) => {
      throw mapError(error);
    });
    if (!outcome) throw new UnauthorizedError('Invalid webhook id or token', 'INVALID_WEBHOOK_TOKEN');
    if ('message' in outcome) return { message: outcome.message, replayed: false };
    return this.replay(pending, outcome);
  }

  /** A retried post: answer with the message its first attempt wrote (off the write loop). */
  private async replay(p: Pending, outcome: { duplicateOf: string | null }): Promise<Written> {
    const { workspaceId, authorWebhookId, idempotencyKey } = p;
    const id =
      outcome.duplicateOf ??
      (authorWebhookId && idempotencyKey
        ? await this.messages.findByIdempotencyKey(authorWebhookId, idempotencyKey)
        : undefined);
    const message = id ? await this.messages.findById(workspaceId, id) : undefined;
    if (!message) {
      throw new ConflictError(
        'A post with this Idempotency-Key was accepted before, and its message has since been deleted',
        'IDEMPOTENT_MESSAGE_DELETED',
      );
    }
    return { message, replayed: true };
  }
}

const mapError = (error: unknown): unknown =>
  isForeignKeyViolation(error) ? new NotFoundError('Channel', 'CHANNEL_NOT_FOUND') : error;
