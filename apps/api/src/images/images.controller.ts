import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { Principal } from '@parley/database';
import type { Response } from 'express';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { AllowQueryToken } from '../auth/decorators/query-token.decorator';
import { UploadImageDto, UploadImageResponseDto } from './dto/image.dto';
import { ImageDownload, ImagesService, parseImageSize } from './images.service';

// Names are never reused, so a copy never goes stale; `private` keeps it out of shared caches.
const CACHE_CONTROL = 'private, max-age=31536000, immutable';
// On every image, not only SVG: opened directly, an SVG runs in an opaque, script-less origin and
// loads nothing; a raster is unaffected. Inside an <img> scripts never run in the first place.
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

function serve(res: Response, image: ImageDownload): StreamableFile {
  res.setHeader('Cache-Control', CACHE_CONTROL);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  return new StreamableFile(image.stream, {
    type: image.contentType,
    length: image.size,
    // The name is generated (digits, hex, a known extension), so it needs no quoting rules.
    disposition: `inline; filename="${image.filename}"`,
  });
}

/**
 * Uploads (base64 JSON, on the routes configure-app.ts gives a large body limit) and downloads,
 * which also accept `?token=` because an <img> cannot send a header. Thread images are uploaded
 * under their parent message and downloaded through its channel or DM route.
 */
@Controller()
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  @Post('channels/:channelId/messages/image')
  @HttpCode(200)
  uploadToChannel(
    @CurrentPrincipal() me: Principal,
    @Param('channelId') channelId: string,
    @Body() body: UploadImageDto,
  ): Promise<UploadImageResponseDto> {
    return this.images.uploadToConversation(me, channelId, 'channel', body);
  }

  @Post('messages/:messageId/thread/image')
  @HttpCode(200)
  uploadToThread(
    @CurrentPrincipal() me: Principal,
    @Param('messageId') messageId: string,
    @Body() body: UploadImageDto,
  ): Promise<UploadImageResponseDto> {
    return this.images.uploadToThread(me, messageId, body);
  }

  @Post('conversations/:conversationId/messages/image')
  @HttpCode(200)
  uploadToDm(
    @CurrentPrincipal() me: Principal,
    @Param('conversationId') conversationId: string,
    @Body() body: UploadImageDto,
  ): Promise<UploadImageResponseDto> {
    return this.images.uploadToConversation(me, conversationId, 'dm', body);
  }

  @Get('channels/:channelId/messages/image/:filename')
  @AllowQueryToken()
  async downloadFromChannel(
    @CurrentPrincipal() me: Principal,
    @Param('channelId') channelId: string,
    @Param('filename') filename: string,
    @Query('size') size: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return serve(res, await this.images.download(me, channelId, 'channel', filename, parseImageSize(size)));
  }

  @Get('conversations/:conversationId/messages/image/:filename')
  @AllowQueryToken()
  async downloadFromDm(
    @CurrentPrincipal() me: Principal,
    @Param('conversationId') conversationId: string,
    @Param('filename') filename: string,
    @Query('size') size: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return serve(res, await this.images.download(me, conversationId, 'dm', filename, parseImageSize(size)));
  }
}
