import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { Public } from '../auth/decorators/public.decorator';
import { CreatedRoomWebhookDto, CreateRoomWebhookDto, RoomWebhookDto } from './dto/room.dto';
import { RoomRateLimit, RoomRateLimitGuard } from './room-rate-limit.guard';
import { RoomWebhooksService } from './room-webhooks.service';

/** A room's incoming webhooks; anyone with the code may manage them (the seed's trust model). */
@Public()
@UseGuards(RoomRateLimitGuard)
@Controller('rooms/:code/webhooks')
export class RoomWebhooksController {
  constructor(private readonly webhooks: RoomWebhooksService) {}

  /** Counted with the posts: minting adds rows, and a room may otherwise gather webhooks without bound. */
  @Post()
  @HttpCode(200)
  @RoomRateLimit('post')
  create(@Param('code') code: string, @Body() body: CreateRoomWebhookDto): Promise<CreatedRoomWebhookDto> {
    return this.webhooks.create(code, body);
  }

  @Get()
  list(@Param('code') code: string): Promise<RoomWebhookDto[]> {
    return this.webhooks.list(code);
  }

  @Delete(':id')
  async revoke(@Param('code') code: string, @Param('id') id: string): Promise<{ status: 'revoked' }> {
    await this.webhooks.revoke(code, id);
    return { status: 'revoked' };
  }
}
