import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  assertMessageContent,
  ConflictError,
  isMessageId,
  isUuid,
  NotFoundError,
  UnauthorizedError,
} from '@parley/common';
import {
  ConversationRef,
  isForeignKeyViolation,
  MessagesRepository,
  NewMessage,
  Principal,
  WebhookRecord,
  WebhooksRepository,
} from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { sha256 } from '../auth/tokens.service';
import { ChannelsService } from '../channels/channels.service';
import { recordEvent } from '../events/record-event';
import { MentionsService } from '../messages/mentions.service';
import { Written } from '../messages/message-writer.service';
import { IdempotencyKeyTaken, MessagesService } from '../messages/messages.service';
import { readWebhookPost, WebhookPost } from './dialects/webhook-post';
import { WebhookRateLimiter } from './webhook-rate-limiter';
import { IngestRequest, readIdempotencyKey } from './webhook-request';

const CREDENTIAL_CACHE_MS = 60_000;
const CREDENTIAL_CACHE_MAX = 10_000;

interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

@Injectable()
export class WebhooksService {
  private readonly credentialCache = new Map<string, { webhook: WebhookRecord; until: number }>();

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly channels: ChannelsService,
    private readonly messages: MessagesService,
    private readonly messageRecords: MessagesRepository,
    private readonly mentions: MentionsService,
    private readonly rateLimiter: WebhookRateLimiter,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Token checks are cached (the SHA-256 is the key; a wrong token never is). A revoked webhook
   * still cannot post: the message writer locks the webhook row and writes only if it exists.
   */
  private async findByCredentials(webhookId: string, token: string): Promise<WebhookRecord | undefined> {
    const hash = sha256(token);
    const key = `${webhookId}:${hash.toString('base64')}`;
    const cached = this.credentialCache.get(key);
    if (cached && cached.until > Date.now()) return cached.webhook;
    const webhook = await this.webhooks.findByCredentials(webhookId, hash);
    if (webhook) {
      if (this.credentialCache.size >= CREDENTIAL_CACHE_MAX) this.credentialCache.clear();
      this.credentialCache.set(key, { webhook, until: Date.now() + CREDENTIAL_CACHE_MS });
    }
    return webhook;
  }

  list(workspaceId: string): Promise<WebhookRecord[]> {
    return this.webhooks.list(workspaceId);
  }

  /** Creates a webhook; its token (32 random bytes) is returned once and stored only as SHA-256. */
  async create(
    me: Principal,
    input: { name: string; channelId: string; avatarUrl?: string | null },
  ): Promise<{ webhook: WebhookRecord; token: string }> {
    const { name, channelId } = input;
    await this.channels.require(me.workspaceId, channelId);
    const token = randomBytes(32).toString('hex');
    try {
      const webhook = await this.uow.run(async (tx, events) => {
        const created = await this.webhooks.create(
          me.workspaceId,
          { channelId, name, avatarUrl: input.avatarUrl ?? null, tokenHash: sha256(token), createdBy: me.userId },
          tx,
        );
        if (!created) throw new Error('webhook insert returned no row');
        recordEvent(events, me.workspaceId, {
          type: 'NEW_WEBHOOK',
          payload: { id: created.id, name: created.name, channelId: created.channelId },
        });
        return created;
      });
      return { webhook, token };
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new NotFoundError('Channel', 'CHANNEL_NOT_FOUND');
      throw error;
    }
  }

  async delete(me: Principal, webhookId: string): Promise<void> {
    if (!isUuid(webhookId)) throw new NotFoundError('Webhook', 'WEBHOOK_NOT_FOUND');
    await this.uow.run(async (tx, events) => {
      const deleted = await this.webhooks.delete(me.workspaceId, webhookId, tx);
      if (!deleted) throw new NotFoundError('Webhook', 'WEBHOOK_NOT_FOUND');
      for (const key of this.credentialCache.keys())
        if (key.startsWith(`${webhookId}:`)) this.credentialCache.delete(key);
      this.rateLimiter.forget(webhookId);
      recordEvent(events, me.workspaceId, {
        type: 'DELETE_WEBHOOK',
        payload: { id: deleted.id, channelId: deleted.channelId },
      });
    });
  }

  /**
   * One ingest request, on either URL: the credentials (a wrong id or token is the same 401), then
   * the rate limit (its headers go on every answer from here on), then the Idempotency-Key and the
   * body. `res` takes the headers; the caller shapes the answer.
   */
  async receive(webhookId: string, token: string | undefined, req: IngestRequest, res: HeaderTarget): Promise<Written> {
    const webhook = token && isUuid(webhookId) ? await this.findByCredentials(webhookId, token) : undefined;
    if (!webhook) throw new UnauthorizedError('Invalid webhook id or token', 'INVALID_WEBHOOK_TOKEN');
    this.rateLimiter.admit(webhook.id, res);
    const idempotencyKey = readIdempotencyKey(req.idempotencyKey);
    const written = await this.post(webhook, readWebhookPost(req.body, req.threadId), idempotencyKey);
    if (written.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return written;
  }

  /** Posts as the webhook's bot: top-level through the batched writer, or into a thread. */
  private async post(webhook: WebhookRecord, post: WebhookPost, idempotencyKey: string | undefined): Promise<Written> {
    const content = assertMessageContent(post.content);
    const message: NewMessage = {
      conversationId: webhook.channelId,
      authorUserId: null,
      authorWebhookId: webhook.id,
      botName: post.username ?? webhook.name,
      botAvatarUrl: post.avatarUrl ?? webhook.avatarUrl,
      content,
      mentions: await this.mentions.resolve(webhook.workspaceId, content, { kind: 'channel', participants: null }),
      idempotencyKey: idempotencyKey ?? null,
    };
    if (post.threadId === undefined) return this.messages.create(webhook.workspaceId, message);
    return this.reply(webhook, post.threadId, message);
  }

  /**
   * A reply to a top-level message of the webhook's own channel. The parent lookup is a query of
   * its own, paid only by posts that name a thread.
   */
  private async reply(webhook: WebhookRecord, parentId: string, message: NewMessage): Promise<Written> {
    const parent = isMessageId(parentId)
      ? await this.messageRecords.findById(webhook.workspaceId, parentId)
      : undefined;
    if (!parent || parent.conversationId !== webhook.channelId) {
      throw new NotFoundError('Thread parent message', 'MESSAGE_NOT_FOUND');
    }
    const channel: ConversationRef = {
      id: webhook.channelId,
      workspaceId: webhook.workspaceId,
      kind: 'channel',
      participants: null,
    };
    try {
      const { reply } = await this.messages.writeReply(webhook.workspaceId, parent, channel, message);
      return { message: reply, replayed: false };
    } catch (error) {
      if (error instanceof IdempotencyKeyTaken && message.idempotencyKey) {
        return this.replay(webhook, message.idempotencyKey);
      }
      throw error;
    }
  }

  /** A retried post: the message its first attempt wrote (as the batched writer answers). */
  private async replay(webhook: WebhookRecord, key: string): Promise<Written> {
    const id = await this.messageRecords.findByIdempotencyKey(webhook.id, key);
    const message = id ? await this.messageRecords.findById(webhook.workspaceId, id) : undefined;
    if (!message) {
      throw new ConflictError(
        'A post with this Idempotency-Key was accepted before, and its message has since been deleted',
        'IDEMPOTENT_MESSAGE_DELETED',
      );
    }
    return { message, replayed: true };
  }
}
