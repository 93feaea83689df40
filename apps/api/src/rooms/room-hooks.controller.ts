import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { Public } from '../auth/decorators/public.decorator';
import { RoomRateLimit, RoomRateLimitGuard } from './room-rate-limit.guard';
import { HookAnswer, RoomWebhooksService } from './room-webhooks.service';

/**
 * A room webhook's URL, the seed's headline: post a line of JSON, see it in the room. The body is
 * parsed as JSON whatever its Content-Type and fields other than `content` and `sender` are
 * ignored (configure-app.ts, like the team webhooks); the token in the path is redacted from
 * access logs (logging.ts).
 */
@Public()
@UseGuards(RoomRateLimitGuard)
@Controller('hooks/in')
export class RoomHooksController {
  constructor(private readonly webhooks: RoomWebhooksService) {}

  @Post(':code/:token')
  @HttpCode(200)
  @RoomRateLimit('post')
  post(@Param('code') code: string, @Param('token') token: string, @Body() body: unknown): Promise<HookAnswer> {
    return this.webhooks.receive(code, token, body);
  }
}
