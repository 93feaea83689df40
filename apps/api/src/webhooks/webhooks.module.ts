import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { ChannelsModule } from '../channels/channels.module';
import { MessagesModule } from '../messages/messages.module';
import { HooksController } from './hooks.controller';
import { WebhookRateLimiter } from './webhook-rate-limiter';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [ChannelsModule, MessagesModule],
  controllers: [WebhooksController, HooksController],
  providers: [
    WebhooksService,
    {
      provide: WebhookRateLimiter,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new WebhookRateLimiter({ perHour: config.webhooks.rateLimitPerHour, perDay: config.webhooks.rateLimitPerDay }),
    },
  ],
})
export class WebhooksModule {}
