import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, UnauthorizedError } from '@parley/common';
import { isForeignKeyViolation, MessageRecord, MessagesRepository, NewMessage } from '@parley/database';
import { EventBus } from '@parley/events';

/** A written message; `replayed` when an Idempotency-Key matched an earlier post, whose message it is. */
export interface Written {
  message: MessageRecord;
  replayed: boolean;
}

interface Pending {
  message: NewMessage & { workspaceId: string };
  resolve: (w: Written) => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 500;

/**
 * Writes new messages in batches: posts that arrive while a write is committing are written
 * together in the next one — messages and their events in a single statement, so one round trip
 * and one commit — and each caller is answered only after that commit. Under load this turns many
 * small transactions into few large ones; alone, a post is written at once.
 */
@Injectable()
export class MessageWriter {
  private queue: Pending[] = [];
  private writing = false;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly bus: EventBus,
  ) {}

  write(workspaceId: string, message: NewMessage): Promise<Written> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message: { ...message, workspaceId }, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  // One write in flight at a time: three concurrent writers measured no better (docs/plans/3.md).
  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.commitSplitting(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * One bad row (its channel deleted meanwhile) must not fail the others: a failed batch is split in
   * halves and each retried, so a bad row costs about log2(batch) extra statements, not one per row.
   */
  private async commitSplitting(batch: Pending[]): Promise<void> {
    try {
      await this.commit(batch);
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(mapError(error));
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.commitSplitting(batch.slice(0, half));
      await this.commitSplitting(batch.slice(half));
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const outcomes = await this.messages.insertBatchWithEvents(batch.map((p) => p.message));
    if (outcomes.some((o) => o !== undefined && 'message' in o)) this.bus.notifyCommitted();
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (!outcome) p.reject(new UnauthorizedError('Invalid webhook id or token', 'INVALID_WEBHOOK_TOKEN'));
      else if ('message' in outcome) p.resolve({ message: outcome.message, replayed: false });
      else this.replay(p, outcome).then(p.resolve, p.reject);
    });
  }

  /** A retried post: answer with the message its first attempt wrote (off the write loop). */
  private async replay(p: Pending, outcome: { duplicateOf: string | null }): Promise<Written> {
    const { workspaceId, authorWebhookId, idempotencyKey } = p.message;
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
