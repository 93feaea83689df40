import { Controller, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators/public.decorator';
import { HookErrorsFilter } from './hook-errors.filter';
import { ingestRequest } from './webhook-request';
import { WebhooksService } from './webhooks.service';

/**
 * The secret-URL form of a webhook (`hook-api.txt`): the token travels in the path, so tools that
 * take one URL and no header (Slack- and Discord-style senders) post unchanged. Same webhook, same
 * bodies, limits and Idempotency-Key as the Bearer route; only the answers differ: `ok` as text
 * (what Slack's incoming webhooks answer, and what Alertmanager and Grafana check for), and the
 * seed's error shape. The secret is redacted from access logs (logging.ts).
 */
@Controller('hooks')
@UseFilters(HookErrorsFilter)
export class HooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Public()
  @Post(':webhookId/:secret/message')
  @HttpCode(200)
  async post(
    @Param('webhookId') webhookId: string,
    @Param('secret') secret: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    await this.webhooks.receive(webhookId, secret, ingestRequest(req), res);
    // Set here, not with @Header: that would label error answers text/plain too.
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    return 'ok';
  }
}
