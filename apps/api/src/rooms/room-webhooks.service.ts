import { Inject, Injectable } from '@nestjs/common';
import { GoneError, NotFoundError, UnauthorizedError, UnprocessableEntityError } from '@parley/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { randomToken, sha256 } from '@parley/crypto';
import { EphemeralRoomsRepository, EphemeralWebhooksRepository } from '@parley/database';
import { CreateRoomWebhookDto, CreatedRoomWebhookDto, isoSeconds, RoomWebhookDto } from './dto/room.dto';
import { normaliseRoomCode } from './room-codes';
import { badRequest, DEFAULT_HOOK_SENDER, readContent, readDisplayName, unprocessable } from './room-input';
import { RoomMessagesService } from './room-messages.service';
import { RoomsService } from './rooms.service';
import { RoomVault } from './room-vault';

const WEBHOOK_ID = /^[1-9][0-9]{0,17}$/;

// The hook statuses are the seed's: 401 token, 410 room gone, 422 content.
const unknownToken = () =>
  new UnauthorizedError('Unknown or revoked webhook token for this room', 'INVALID_WEBHOOK_TOKEN');
const roomGone = () => new GoneError('This room has expired or been closed', 'ROOM_GONE');

export interface HookAnswer {
  ok: true;
  message_id: number;
}

/**
 * Incoming webhooks of rooms. Anyone with the code may mint, list and revoke them (the seed's
 * trust model); a token is 32 random bytes shown once and stored as SHA-256, and can only post.
 */
@Injectable()
export class RoomWebhooksService {
  constructor(
    private readonly rooms: RoomsService,
    private readonly roomRecords: EphemeralRoomsRepository,
    private readonly webhooks: EphemeralWebhooksRepository,
    private readonly messages: RoomMessagesService,
    private readonly vault: RoomVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(rawCode: unknown, body: CreateRoomWebhookDto): Promise<CreatedRoomWebhookDto> {
    const room = await this.rooms.requireLive(rawCode);
    const label = readDisplayName(body.label, 'label', badRequest) ?? null;
    const token = randomToken();
    const webhook = await this.webhooks.create(room.id, this.config.rooms.ttlSeconds, {
      label: label === null ? null : this.vault.sealText('webhook.label', room.code, label),
      tokenHash: sha256(token),
    });
    if (!webhook) throw new NotFoundError('Room', 'ROOM_NOT_FOUND');
    return {
      id: Number(webhook.id),
      room_code: room.code,
      label,
      token,
      url: `${this.config.server.appUrl}/hooks/in/${room.code}/${token}`,
    };
  }

  async list(rawCode: unknown): Promise<RoomWebhookDto[]> {
    const room = await this.rooms.requireLive(rawCode);
    return (await this.webhooks.listForRoom(room.id)).map((w) => ({
      id: Number(w.id),
      room_code: room.code,
      label: w.label === null ? null : this.vault.openText('webhook.label', room.code, w.label),
      created_at: isoSeconds(w.createdAt),
    }));
  }

  async revoke(rawCode: unknown, rawId: string): Promise<void> {
    const room = await this.rooms.requireLive(rawCode);
    if (!WEBHOOK_ID.test(rawId) || !(await this.webhooks.revoke(room.id, rawId))) {
      throw new NotFoundError('Webhook', 'WEBHOOK_NOT_FOUND');
    }
  }

  /**
   * `POST /hooks/in/:code/:token`. Order: the room's state (410 once it expired or ended, whatever
   * the token — its webhooks are gone with it), then the token (401, also for another room's
   * token), then the body (422 without content, 413 above 16,000 characters).
   */
  async receive(rawCode: unknown, token: string, body: unknown): Promise<HookAnswer> {
    const code = normaliseRoomCode(rawCode);
    if (code === undefined) throw unknownToken();
    const target = await this.webhooks.findHookTarget(code, sha256(token), this.config.rooms.ttlSeconds);
    if (!target) throw (await this.roomRecords.hasTombstone(sha256(code))) ? roomGone() : unknownToken();
    if (!target.live) throw roomGone();
    if (target.webhookId === null) throw unknownToken();

    const fields = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
      string,
      unknown
    >;
    if (fields.content === undefined) throw new UnprocessableEntityError('content is required', 'CONTENT_REQUIRED');
    const content = readContent(fields.content, unprocessable);
    const label = target.label === null ? undefined : this.vault.openText('webhook.label', code, target.label);
    const sender = readDisplayName(fields.sender, 'sender', unprocessable) ?? label ?? DEFAULT_HOOK_SENDER;

    const message = await this.messages.write(
      { id: target.roomId, code },
      { sender, content, webhookId: target.webhookId },
    );
    if (!message) {
      // Revoked or ended while this post was checked: answer what a later post would get.
      const now = await this.roomRecords.findByCode(code, this.config.rooms.ttlSeconds);
      throw now?.live ? unknownToken() : roomGone();
    }
    return { ok: true, message_id: message.id };
  }
}
