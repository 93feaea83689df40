import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { ipBucketKey } from '@parley/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators/public.decorator';
import { PostRoomMessageDto, RoomMessageDto } from './dto/room.dto';
import { RoomMessagesService, UploadedRoomFile } from './room-messages.service';
import { MutedError, SlowmodeError } from './room-moderation';
import { RoomRateLimit, RoomRateLimitGuard } from './room-rate-limit.guard';
import { RoomUploadInterceptor } from './room-upload.interceptor';

// Served on this origin to anyone with the code, so never as an active document: no sniffing, a
// sandbox with nothing allowed, images inline and everything else as a download. Not cached:
// once the room ends its files must not live on in caches.
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

@Public()
@UseGuards(RoomRateLimitGuard)
@Controller('rooms/:code')
export class RoomMessagesController {
  constructor(private readonly messages: RoomMessagesService) {}

  @Get('messages')
  list(@Param('code') code: string): Promise<RoomMessageDto[]> {
    return this.messages.list(code);
  }

  @Post('messages')
  @HttpCode(200)
  @RoomRateLimit('post')
  async post(
    @Param('code') code: string,
    @Body() body: PostRoomMessageDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RoomMessageDto> {
    try {
      // Mute by the `sender` name; slow mode per IP (the HTTP API has no session).
      return await this.messages.post(code, body, { key: `ip:${ipBucketKey(req.ip ?? 'unknown')}` });
    } catch (error) {
      if (error instanceof SlowmodeError || error instanceof MutedError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
  }

  /** multipart/form-data: `file`, optional `sender` and `content` (default: the file's name). */
  @Post('files')
  @HttpCode(200)
  @RoomRateLimit('post')
  @UseInterceptors(RoomUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        sender: { type: 'string', maxLength: 100 },
        content: { type: 'string', maxLength: 16000 },
      },
    },
  })
  upload(
    @Param('code') code: string,
    @UploadedFile() file: UploadedRoomFile | undefined,
    @Body() fields: unknown,
  ): Promise<RoomMessageDto> {
    return this.messages.postFile(code, file, fields);
  }

  @Get('files/:name')
  async download(
    @Param('code') code: string,
    @Param('name') name: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.messages.download(code, name);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new StreamableFile(file.bytes, {
      type: file.type.mime.startsWith('text/') ? `${file.type.mime}; charset=utf-8` : file.type.mime,
      length: file.bytes.length,
      // The name is generated (hex and a known extension): no quoting rules needed.
      disposition: `${file.type.inline ? 'inline' : 'attachment'}; filename="${file.name}"`,
    });
  }
}
