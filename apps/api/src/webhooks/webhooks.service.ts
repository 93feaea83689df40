import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { assertMessageContent, isUuid, NotFoundError, UnauthorizedError } from '@parley/common';
import { isForeignKeyViolation, MessageRecord, Principal, WebhookRecord, WebhooksRepository } from '@parley/database';
import { UnitOfWork } from '@parley/events';
import { sha256 } from '../auth/tokens.service';
import { ChannelsService } from '../channels/channels.service';
import { recordEvent } from '../events/record-event';
import { MentionsService } from '../messages/mentions.service';
import { MessagesService } from '../messages/messages.service';
import { readWebhookContent } from './webhook-payload';

const CREDENTIAL_CACHE_MS = 60_000;
const CREDENTIAL_CACHE_MAX = 10_000;

@Injectable()
export class WebhooksService {
  private readonly credentialCache = new Map<string, { webhook: WebhookRecord; until: number }>();

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly channels: ChannelsService,
    private readonly messages: MessagesService,
    private readonly mentions: MentionsService,
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
  async create(me: Principal, name: string, channelId: string): Promise<{ webhook: WebhookRecord; token: string }> {
    await this.channels.require(me.workspaceId, channelId);
    const token = randomBytes(32).toString('hex');
    try {
      const webhook = await this.uow.run(async (tx, events) => {
        const created = await this.webhooks.create(
          me.workspaceId,
          { channelId, name, tokenHash: sha256(token), createdBy: me.userId },
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
      recordEvent(events, me.workspaceId, {
        type: 'DELETE_WEBHOOK',
        payload: { id: deleted.id, channelId: deleted.channelId },
      });
    });
  }

  /** Posts as the webhook's bot identity. A wrong id or token is the same 401. */
  async post(webhookId: string, token: string | undefined, body: unknown): Promise<MessageRecord> {
    const webhook = token && isUuid(webhookId) ? await this.findByCredentials(webhookId, token) : undefined;
    if (!webhook) throw new UnauthorizedError('Invalid webhook id or token', 'INVALID_WEBHOOK_TOKEN');
    const text = assertMessageContent(readWebhookContent(body));
    const written = await this.messages.create(webhook.workspaceId, {
      conversationId: webhook.channelId,
      authorUserId: null,
      authorWebhookId: webhook.id,
      botName: webhook.name,
      content: text,
      mentions: await this.mentions.resolve(webhook.workspaceId, text, 'channel'),
    });
    return written.message;
  }
}
