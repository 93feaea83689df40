import { Injectable } from '@nestjs/common';
import { NotFoundError, UnauthorizedError } from '@parley/common';
import {
  isForeignKeyViolation,
  MessageRecord,
  MessagesRepository,
  NewMessage,
  WebhooksRepository,
} from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { recordEvent } from '../events/record-event';
import { toMessageDto } from './dto/message.dto';

interface Pending {
  message: NewMessage & { workspaceId: string };
  resolve: (m: MessageRecord) => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 500;

/**
 * Writes new messages in batches: posts that arrive while a transaction is committing are written
 * together in the next one (one multi-row insert, one event append, one commit), and each caller is
 * answered only after that commit. Under load this turns many small transactions into few large
 * ones; alone, a post is written at once.
 */
@Injectable()
export class MessageWriter {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly uow: UnitOfWork,
  ) {}

  write(workspaceId: string, message: NewMessage): Promise<MessageRecord> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message: { ...message, workspaceId }, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
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
      this.flushing = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const { written, revoked } = await this.uow.run(async (tx, events) => {
      const botIds = [
        ...new Set(batch.map((p) => p.message.authorWebhookId).filter((id): id is string => id !== null)),
      ];
      const alive = botIds.length > 0 ? await this.webhooks.lockExisting(botIds, tx) : new Set<string>();
      const accepted = batch.filter((p) => p.message.authorWebhookId === null || alive.has(p.message.authorWebhookId));
      const rows =
        accepted.length > 0
          ? await this.messages.insertBatch(
              accepted.map((p) => p.message),
              tx,
            )
          : [];
      for (const row of rows) recordEvent(events, row.workspaceId, { type: 'NEW_MESSAGE', payload: toMessageDto(row) });
      return {
        written: accepted.map((p, i) => [p, rows[i]] as const),
        revoked: batch.filter((p) => !accepted.includes(p)),
      };
    });
    for (const [p, row] of written) p.resolve(row);
    for (const p of revoked) p.reject(new UnauthorizedError('Invalid webhook id or token', 'INVALID_WEBHOOK_TOKEN'));
  }
}

const mapError = (error: unknown): unknown =>
  isForeignKeyViolation(error) ? new NotFoundError('Channel', 'CHANNEL_NOT_FOUND') : error;
