import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { Public } from '../auth/decorators/public.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { MessageResponseDto, toMessageDto } from '../messages/dto/message.dto';
import { CreateWebhookDto, toWebhookDto, WebhookResponseDto } from './dto/webhook.dto';
import { ingestRequest } from './webhook-request';
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
    const { webhook, token } = await this.webhooks.create(me, body);
    const base = this.config.server.appUrl;
    return {
      webhook: {
        ...toWebhookDto(webhook),
        token,
        url: `${base}/webhooks/${webhook.id}/messages`,
        // The secret-URL form (Slack-style tools take one URL and no header): as secret as the token.
        hookUrl: `${base}/hooks/${webhook.id}/${token}/message`,
      },
    };
  }

  @Delete(':webhookId')
  @Roles('admin')
  async delete(@CurrentPrincipal() me: Principal, @Param('webhookId') webhookId: string): Promise<{ success: true }> {
    await this.webhooks.delete(me, webhookId);
    return { success: true };
  }

  /**
   * Bot ingest: authenticated by the webhook's own token; the body is foreign (any dialect), so not
   * whitelisted. `ok: true` beside the seed's `{message}` is what Slack-style senders (Grafana,
   * Alertmanager) check in a JSON answer.
   */
  @Public()
  @Post(':webhookId/messages')
  @HttpCode(200)
  async post(
    @Param('webhookId') webhookId: string,
    @Headers('authorization') authorization: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ message: MessageResponseDto; ok: true }> {
    const { message } = await this.webhooks.receive(webhookId, bearer(authorization), ingestRequest(req), res);
    return { message: toMessageDto(message), ok: true };
  }
}
