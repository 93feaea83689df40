import { Injectable } from '@nestjs/common';
import { NotFoundError, UnauthorizedError } from '@parley/common';
import { isForeignKeyViolation, MessageRecord, MessagesRepository, NewMessage } from '@parley/database';
import { EventBus } from '@parley/events';

interface Pending {
  message: NewMessage & { workspaceId: string };
  resolve: (m: MessageRecord) => void;
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

  write(workspaceId: string, message: NewMessage): Promise<MessageRecord> {
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
        try {
          await this.commit(batch);
        } catch {
          // One bad row (its channel deleted meanwhile) must not fail the others: write alone.
          for (const item of batch) await this.commit([item]).catch((error: unknown) => item.reject(mapError(error)));
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const rows = await this.messages.insertBatchWithEvents(batch.map((p) => p.message));
    if (rows.some((r) => r !== undefined)) this.bus.notifyCommitted();
    batch.forEach((p, i) => {
      const row = rows[i];
      if (row) p.resolve(row);
      else p.reject(new UnauthorizedError('Invalid webhook id or token', 'INVALID_WEBHOOK_TOKEN'));
    });
  }
}

const mapError = (error: unknown): unknown =>
  isForeignKeyViolation(error) ? new NotFoundError('Channel', 'CHANNEL_NOT_FOUND') : error;
