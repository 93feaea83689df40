import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BadRequestError, GroupCommit, NotFoundError, UnsupportedMediaTypeError } from '@parley/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import {
  EphemeralMessageRecord,
  EphemeralMessagesRepository,
  isStatementFailure,
  NewEphemeralMessage,
} from '@parley/database';
import { PostRoomMessageDto, RoomMessageDto } from './dto/room.dto';
import { RoomEvents, RoomRef } from './room-events.service';
import { presentRoomMessage } from './room-message-dto';
import { RoomModeration, RoomPoster } from './room-moderation';
import { detectRoomFileType, ROOM_FILE_TYPES, roomFileTypeOf, RoomFileType } from './room-file-types';
import { roomFileKey, RoomFileStorage } from './room-file-storage';
import { badRequest, DEFAULT_SENDER, readContent, readDisplayName } from './room-input';
import { roomNotFound, RoomsService } from './rooms.service';
import { RoomVault } from './room-vault';

/** Posts written per statement at most. */
const MAX_BATCH = 500;
/** What `GET /rooms/:code/messages` answers: the newest 100, oldest first (the seed's number). */
export const RECENT_MESSAGES = 100;
// A file's default caption is its name as the client gave it: one line, bounded.
const MAX_CAPTION_LENGTH = 255;
// <24 hex: 96 random bits>.<extension of the detected type>: nothing of the client's reaches a path.
const FILE_NAME = new RegExp(
  `^[0-9a-f]{24}\\.(${Object.values(ROOM_FILE_TYPES)
    .map((t) => t.extension)
    .join('|')})$`,
);
const UPLOAD_FIELDS = new Set(['sender', 'content']);

/** A file as the multipart parser hands it over (multer's memory storage). */
export interface UploadedRoomFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

export interface RoomFileDownload {
  name: string;
  type: RoomFileType;
  bytes: Buffer;
}

export interface NewRoomMessage {
  sender: string;
  content: string;
  file?: { name: string; type: string };
  /** A post through this webhook: written only while the webhook exists. */
  webhookId?: string;
}

const fileNotFound = () => new NotFoundError('File', 'FILE_NOT_FOUND');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The client's file name as a caption: its last path segment, one line, at most 255 characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

function captionOf(originalName: string, fallback: string): string {
  const base = (originalName.split(/[\\/]/).pop() ?? '').replace(CONTROL_CHARACTERS, '').trim();
  return base === '' ? fallback : [...base].slice(0, MAX_CAPTION_LENGTH).join('');
}

/** Messages and files of a room: every post marks the room active; reads never do. */
@Injectable()
export class RoomMessagesService {
  private readonly logger = new Logger('RoomMessages');
  private readonly batches = new GroupCommit<NewEphemeralMessage, EphemeralMessageRecord | undefined>(
    async (batch) => {
      const written = await this.messages.insertBatchIfLive(this.config.rooms.ttlSeconds, batch);
      if (written.some((m) => m !== undefined)) this.events.committed();
      return written;
    },
    { maxBatch: MAX_BATCH, retryable: isStatementFailure },
  );

  constructor(
    private readonly rooms: RoomsService,
    private readonly messages: EphemeralMessagesRepository,
    private readonly vault: RoomVault,
    private readonly events: RoomEvents,
    private readonly files: RoomFileStorage,
    private readonly moderation: RoomModeration,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(rawCode: unknown): Promise<RoomMessageDto[]> {
    const room = await this.rooms.requireLive(rawCode);
    const records = await this.messages.listRecent(room.id, RECENT_MESSAGES);
    return records.map((m) => this.toDto(room.code, m));
  }

  /**
   * `POST /rooms/:code/messages` (the code is the credential, no token) and the socket's `message`.
   * With a `poster`, mute (403 `MUTED`) and slow mode (429 `SLOWMODE`) are checked after the body.
   */
  async post(rawCode: unknown, body: PostRoomMessageDto, poster?: Omit<RoomPoster, 'name'>): Promise<RoomMessageDto> {
    const room = await this.rooms.requireLive(rawCode);
    const content = readContent(body.content, badRequest);
    const sender = readDisplayName(body.sender, 'sender', badRequest) ?? DEFAULT_SENDER;
    if (poster) await this.moderation.admitPost(room, { ...poster, name: sender });
    const message = await this.write(room, { sender, content });
    if (!message) throw roomNotFound();
    return message;
  }

  /**
   * Writes a message (committed before this returns) and wakes live delivery (its event was
   * appended in the same statement). Posts arriving while a batch commits are written together in
   * the next (GroupCommit): one statement and one WAL flush for many posts, to one room or several.
   * Undefined when the room expired or ended, or the webhook was revoked, since it was looked up.
   */
  async write(room: RoomRef, message: NewRoomMessage): Promise<RoomMessageDto | undefined> {
    const record = await this.batches.submit({
      roomId: room.id,
      sender: this.vault.sealText('message.sender', room.code, message.sender),
      content: this.vault.sealText('message.content', room.code, message.content),
      fileName: message.file?.name ?? null,
      fileType: message.file?.type ?? null,
      webhookId: message.webhookId,
    });
    if (!record) return undefined;
    return this.toDto(room.code, record, message);
  }

  /**
   * `POST /rooms/:code/files`: the type is judged from the bytes (allow-list in room-file-types.ts),
   * the file is written (sealed) under a generated name before its message, and removed again if
   * the message cannot be written, so a refused upload leaves nothing behind.
   */
  async postFile(rawCode: unknown, file: UploadedRoomFile | undefined, fields: unknown): Promise<RoomMessageDto> {
    const room = await this.rooms.requireLive(rawCode);
    const { sender, content } = this.readUploadFields(fields);
    if (!file) throw new BadRequestError('Send the file as the multipart field "file"', 'FILE_REQUIRED');
    await this.moderation.refuseIfMuted(room, { name: sender });
    if (file.size === 0) throw new BadRequestError('The file is empty', 'FILE_EMPTY');
    const type = detectRoomFileType(file.buffer);
    if (!type) {
      throw new UnsupportedMediaTypeError(
        'Files must be images (JPEG, PNG, WebP, GIF), PDF, ZIP, gzip or UTF-8 text',
        'UNSUPPORTED_FILE_TYPE',
      );
    }
    const name = `${randomBytes(12).toString('hex')}.${type.extension}`;
    const key = roomFileKey(room.id, name);
    await this.files.put(key, this.vault.sealFile(room.code, name, file.buffer));
    let message: RoomMessageDto | undefined;
    try {
      message = await this.write(room, {
        sender,
        content: content ?? captionOf(file.originalname, name),
        file: { name, type: type.mime },
      });
    } finally {
      if (!message) await this.discard(key);
    }
    if (!message) throw roomNotFound();
    return message;
  }

  /** A file of a live room, decrypted; only names some message of this room carries. */
  async download(rawCode: unknown, name: string): Promise<RoomFileDownload> {
    const room = await this.rooms.requireLive(rawCode);
    if (!FILE_NAME.test(name)) throw fileNotFound();
    const mime = await this.messages.findFileType(room.id, name);
    if (mime === undefined) throw fileNotFound();
    const stored = await this.files.get(roomFileKey(room.id, name));
    if (!stored) {
      this.logger.error(`room file ${room.id}/${name} has a message but no file`);
      throw fileNotFound();
    }
    const bytes = this.vault.openFile(room.code, name, await readAll(stored.stream));
    return { name, type: roomFileTypeOf(mime) ?? ROOM_FILE_TYPES.text, bytes };
  }

  private toDto(code: string, m: EphemeralMessageRecord, plain?: NewRoomMessage): RoomMessageDto {
    return presentRoomMessage(this.vault, code, m, plain);
  }

  /** The text fields beside the file: `sender` and `content`, both optional, nothing else. */
  private readUploadFields(fields: unknown): { sender: string; content: string | undefined } {
    const body = (typeof fields === 'object' && fields !== null ? fields : {}) as Record<string, unknown>;
    const unknown = Object.keys(body).find((key) => !UPLOAD_FIELDS.has(key));
    if (unknown !== undefined) {
      throw badRequest(`unknown field ${JSON.stringify(unknown.slice(0, 40))} (expected file, sender, content)`);
    }
    return {
      sender: readDisplayName(body.sender, 'sender', badRequest) ?? DEFAULT_SENDER,
      content: body.content === undefined ? undefined : readContent(body.content, badRequest),
    };
  }

  private async discard(key: string): Promise<void> {
    await this.files.delete(key).catch((error: unknown) => {
      this.logger.error(`could not remove ${key} after a failed upload: ${String(error)}`);
    });
  }
}
