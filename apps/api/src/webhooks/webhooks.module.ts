import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { MessagesModule } from '../messages/messages.module';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({ imports: [ChannelsModule, MessagesModule], controllers: [WebhooksController], providers: [WebhooksService] })
export class WebhooksModule {}
