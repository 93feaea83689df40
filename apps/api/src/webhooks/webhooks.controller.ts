import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { Public } from '../auth/decorators/public.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { MessageResponseDto, toMessageDto } from '../messages/dto/message.dto';
import { CreateWebhookDto, toWebhookDto, WebhookResponseDto } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

const bearer = (header: string | undefined): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];

@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles('admin')
  async list(@CurrentPrincipal() me: Principal): Promise<{ webhooks: WebhookResponseDto[] }> {
    return { webhooks: (await this.webhooks.list(me.workspaceId)).map(toWebhookDto) };
  }

  @Post()
  @HttpCode(200)
  @Roles('admin')
  async create(@CurrentPrincipal() me: Principal, @Body() body: CreateWebhookDto) {
    const { webhook, token } = await this.webhooks.create(me, body.name, body.channelId);
    return {
      webhook: { ...toWebhookDto(webhook), token, url: `${this.config.server.appUrl}/webhooks/${webhook.id}/messages` },
    };
  }

  @Delete(':webhookId')
  @Roles('admin')
  async delete(@CurrentPrincipal() me: Principal, @Param('webhookId') webhookId: string): Promise<{ success: true }> {
    await this.webhooks.delete(me, webhookId);
    return { success: true };
  }

  /** Bot ingest: authenticated by the webhook's own token; the body is foreign, so not whitelisted. */
  @Public()
  @Post(':webhookId/messages')
  @HttpCode(200)
  async post(
    @Param('webhookId') webhookId: string,
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
  ): Promise<{ message: MessageResponseDto }> {
    const message = await this.webhooks.post(webhookId, bearer(authorization), body);
    return { message: toMessageDto(message) };
  }
}
