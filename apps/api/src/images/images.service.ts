import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { BadRequestError, NotFoundError, PayloadTooLargeError } from '@parley/common';
import { ConversationKind, ConversationRef, isForeignKeyViolation, Principal, Tx } from '@parley/database';
import { ConversationAccess } from '../conversations/conversation-access.service';
import { UploadImageDto, UploadImageResponseDto } from './dto/image.dto';
import { UnsupportedImageError } from './image-errors';
import { CONTENT_TYPES, decodeBase64, detectImageFormat, EXTENSIONS, ImageFormat } from './image-format';
import { MAX_IMAGE_BYTES, MAX_IMAGES_PER_MESSAGE, MAX_THUMBNAIL_BYTES, THUMBNAIL_SIZE } from './image-limits';
import { inspectRaster, makeThumbnail } from './image-processing';
import { ImagesRepository } from './images.repository';
import { ImageStorage } from './storage/image-storage';

export interface ImageDownload {
  filename: string;
  contentType: string;
  size: number;
  stream: Readable;
}

export type ImageSize = 'full' | 'thumb';

interface Upload {
  bytes: Buffer;
  format: ImageFormat;
}

// Exactly what `newFilename` makes; anything else (`..`, slashes, the client's own name) is no image.
const FILENAME = /^\d{1,16}-[0-9a-f]{24}\.(?:jpg|png|webp|svg)$/;
export const isImageFilename = (name: unknown): name is string => typeof name === 'string' && FILENAME.test(name);

// Unique without coordination: a millisecond clock (sortable, as the seed shows) and 96 random bits.
const newFilename = (format: ImageFormat) => `${Date.now()}-${randomBytes(12).toString('hex')}.${EXTENSIONS[format]}`;

const imageKey = (c: { workspaceId: string; id: string }, filename: string) => `${c.workspaceId}/${c.id}/${filename}`;
const thumbKey = (c: { workspaceId: string; id: string }, filename: string) => `${imageKey(c, filename)}.thumb`;

const imageNotFound = () => new NotFoundError('Image', 'IMAGE_NOT_FOUND');

/** `?size=`: absent, `full` or `original` for the image, `thumb` for its thumbnail. */
export function parseImageSize(raw: unknown): ImageSize {
  if (raw === undefined || raw === '' || raw === 'full' || raw === 'original') return 'full';
  if (raw === 'thumb') return 'thumb';
  throw new BadRequestError('size must be "thumb" or absent', 'INVALID_IMAGE_SIZE');
}

/**
 * Images of channels, threads and DMs (docs/decisions/0005-images.md). Authorisation follows the
 * conversation: whoever may read it may upload to it and download from it, nobody else. A thread's
 * images belong to the thread's conversation and are downloaded through its channel or DM route.
 */
@Injectable()
export class ImagesService {
  private readonly logger = new Logger('Images');

  constructor(
    private readonly access: ConversationAccess,
    private readonly images: ImagesRepository,
    private readonly storage: ImageStorage,
  ) {}

  async uploadToConversation(
    me: Principal,
    conversationId: string,
    kind: ConversationKind,
    body: UploadImageDto,
  ): Promise<UploadImageResponseDto> {
    // Access first: a stranger learns nothing and costs no decoding.
    const conversation = await this.access.conversation(me, conversationId, kind);
    return this.store(me, conversation, body);
  }

  async uploadToThread(me: Principal, messageId: string, body: UploadImageDto): Promise<UploadImageResponseDto> {
    const { message, conversation } = await this.access.message(me, messageId);
    // Same rule as replying: a thread hangs off a top-level message only.
    if (message.threadParentId !== null) {
      throw new BadRequestError('Threads belong to top-level messages, not to replies', 'THREAD_PARENT_NOT_TOP_LEVEL');
    }
    return this.store(me, conversation, body);
  }

  async download(
    me: Principal,
    conversationId: string,
    kind: ConversationKind,
    filename: string,
    size: ImageSize,
  ): Promise<ImageDownload> {
    const conversation = await this.access.conversation(me, conversationId, kind);
    if (!isImageFilename(filename)) throw imageNotFound();
    const image = await this.images.findByName(me.workspaceId, conversation.id, filename);
    if (!image) throw imageNotFound();
    // An SVG sent without a thumbnail is its own thumbnail (it scales); then there is no thumb file.
    const ownThumbnail = image.thumbContentType === CONTENT_TYPES.svg;
    const key = size === 'thumb' && !ownThumbnail ? thumbKey(conversation, filename) : imageKey(conversation, filename);
    const stored = await this.storage.get(key);
    if (!stored) {
      this.logger.error(`image ${key} has a row but no file`);
      throw imageNotFound();
    }
    const contentType = size === 'thumb' ? image.thumbContentType : image.contentType;
    return { filename, contentType, size: stored.size, stream: stored.stream };
  }

  /**
   * For a message that names `images: [filename…]`: every name must have been uploaded to this
   * same conversation (one query). Returns the names once each, in the order given. Throws 400
   * IMAGE_NOT_UPLOADED for any other name, TOO_MANY_IMAGES past MAX_IMAGES_PER_MESSAGE.
   */
  async requireAttachable(
    workspaceId: string,
    conversationId: string,
    filenames: readonly unknown[],
    tx?: Tx,
  ): Promise<string[]> {
    const names = [...new Set(filenames)];
    if (names.length > MAX_IMAGES_PER_MESSAGE) {
      throw new BadRequestError(`A message may carry at most ${MAX_IMAGES_PER_MESSAGE} images`, 'TOO_MANY_IMAGES');
    }
    const malformed = names.findIndex((n) => !isImageFilename(n));
    if (malformed >= 0) {
      const name = names[malformed];
      throw notUploaded(typeof name === 'string' ? name : `(a ${typeof name})`);
    }
    const valid = names as string[];
    if (valid.length === 0) return [];
    const found = new Set(await this.images.existingNames(workspaceId, conversationId, valid, tx));
    const missing = valid.find((n) => !found.has(n));
    if (missing !== undefined) throw notUploaded(missing);
    return valid;
  }

  private async store(
    me: Principal,
    conversation: ConversationRef,
    body: UploadImageDto,
  ): Promise<UploadImageResponseDto> {
    const image = await readImage(body.image);
    const thumbnail = body.thumbnail ? await readThumbnail(body.thumbnail) : await generatedThumbnail(image);
    const filename = newFilename(image.format);
    const keys = [imageKey(conversation, filename), ...(thumbnail ? [thumbKey(conversation, filename)] : [])];
    try {
      // Files first, then the row: a row never names a file that is not there.
      await this.storage.put(keys[0], image.bytes);
      if (thumbnail) await this.storage.put(keys[1], thumbnail.bytes);
      await this.images.insert(me.workspaceId, {
        conversationId: conversation.id,
        filename,
        contentType: CONTENT_TYPES[image.format],
        byteSize: image.bytes.length,
        thumbContentType: CONTENT_TYPES[thumbnail?.format ?? image.format],
        uploadedBy: me.userId,
      });
    } catch (error) {
      await this.discard(keys);
      // The conversation was deleted while the upload was being processed.
      if (isForeignKeyViolation(error)) {
        throw conversation.kind === 'channel'
          ? new NotFoundError('Channel', 'CHANNEL_NOT_FOUND')
          : new NotFoundError('Conversation', 'CONVERSATION_NOT_FOUND');
      }
      throw error;
    }
    return { success: true, filename };
  }

  private async discard(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.storage.delete(key).catch((error: unknown) => {
        this.logger.error(`could not remove ${key} after a failed upload: ${String(error)}`);
      });
    }
  }
}

const notUploaded = (name: string) =>
  new BadRequestError(
    `No image ${JSON.stringify(name.slice(0, 80))} was uploaded to this conversation`,
    'IMAGE_NOT_UPLOADED',
  );

function decode(base64: string, maxBytes: number, what: 'image' | 'thumbnail'): Buffer {
  const decoded = decodeBase64(base64, maxBytes);
  if (decoded.ok) return decoded.bytes;
  if (decoded.reason === 'too-large') {
    throw new PayloadTooLargeError(
      `The ${what} may be at most ${maxBytes / 1024 / 1024} MB`,
      what === 'image' ? 'IMAGE_TOO_LARGE' : 'THUMBNAIL_TOO_LARGE',
    );
  }
  throw new BadRequestError(`The ${what} is not valid base64`, 'INVALID_BASE64');
}

async function readImage(base64: string): Promise<Upload> {
  const bytes = decode(base64, MAX_IMAGE_BYTES, 'image');
  const format = detectImageFormat(bytes);
  if (!format) throw new UnsupportedImageError('Images must be JPEG, PNG, WebP or SVG');
  if (format !== 'svg') await inspectRaster(bytes, format, 'image');
  return { bytes, format };
}

/** A client's thumbnail is checked like an image, but must be a raster: an SVG only previews itself. */
async function readThumbnail(base64: string): Promise<Upload> {
  const bytes = decode(base64, MAX_THUMBNAIL_BYTES, 'thumbnail');
  const format = detectImageFormat(bytes);
  if (!format || format === 'svg') {
    throw new UnsupportedImageError('Thumbnails must be JPEG, PNG or WebP', 'UNSUPPORTED_THUMBNAIL_TYPE');
  }
  const { width, height } = await inspectRaster(bytes, format, 'thumbnail');
  // A small file can still be a huge picture every viewer's browser must decode: past twice the
  // thumbnail size, it is made into a thumbnail like an image would be.
  if (width > 2 * THUMBNAIL_SIZE || height > 2 * THUMBNAIL_SIZE)
    return { bytes: await makeThumbnail(bytes), format: 'webp' };
  return { bytes, format };
}

/** None for an SVG: it is served as its own thumbnail rather than rasterised (docs/decisions/0005-images.md). */
async function generatedThumbnail(image: Upload): Promise<Upload | undefined> {
  return image.format === 'svg' ? undefined : { bytes: await makeThumbnail(image.bytes), format: 'webp' };
}
