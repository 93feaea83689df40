import {
  CallHandler,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '@parley/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { RoomsService } from './rooms.service';

// Room for the multipart framing and the two text fields around the file.
const MULTIPART_OVERHEAD = 256 * 1024;
// A text field holds at most 16,000 characters (≤ 48,000 bytes of UTF-8); more is refused as too large.
const FIELD_BYTES = 64 * 1024;

/**
 * `POST /rooms/:code/files`: 404 for an unknown room and 415 for a body that is not multipart,
 * before a byte of the upload is read; then multer (Nest's FileInterceptor, memory storage) reads
 * the one `file` field, with limits: above ROOM_FILE_MAX_BYTES 413. Whatever multer or busboy
 * throws about a malformed body is answered 400, never 500.
 */
@Injectable()
export class RoomUploadInterceptor implements NestInterceptor {
  private readonly multer: NestInterceptor;
  private readonly maxBytes: number;

  constructor(
    private readonly rooms: RoomsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxBytes = config.rooms.fileMaxBytes;
    const Multer = FileInterceptor('file', {
      limits: { fileSize: this.maxBytes, files: 1, fields: 2, fieldSize: FIELD_BYTES, parts: 3, headerPairs: 20 },
      // Browsers send file names as raw UTF-8.
      defParamCharset: 'utf8',
    });
    this.multer = new Multer();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    await this.rooms.requireLive(req.params.code);
    if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) {
      throw new UnsupportedMediaTypeError('Send the file as multipart/form-data (field "file")');
    }
    const declared = Number(req.headers['content-length']);
    if (declared > this.maxBytes + MULTIPART_OVERHEAD) throw this.tooLarge();
    try {
      return await this.multer.intercept(context, next);
    } catch (error) {
      throw this.mapParseError(error);
    }
  }

  private tooLarge(): PayloadTooLargeError {
    return new PayloadTooLargeError(`Files may be at most ${this.maxBytes} bytes`, 'FILE_TOO_LARGE');
  }

  // Nest maps multer's limit errors to HttpExceptions; anything else it passes on is a bad body.
  private mapParseError(error: unknown): unknown {
    if (error instanceof PayloadTooLargeException) return this.tooLarge();
    if (error instanceof HttpException) {
      if (/^Field value too long/.test(error.message)) {
        return new PayloadTooLargeError('A text field is too long', 'CONTENT_TOO_LONG');
      }
      return new BadRequestError(`Unreadable multipart body: ${error.message}`, 'INVALID_MULTIPART');
    }
    return new BadRequestError('Unreadable multipart body', 'INVALID_MULTIPART');
  }
}
