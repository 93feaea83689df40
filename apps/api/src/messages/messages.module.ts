import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { MessagesController } from './messages.controller';
import { MessageWriter } from './message-writer.service';
import { MessagesService } from './messages.service';

@Module({
  imports: [ChannelsModule],
  controllers: [MessagesController],
  providers: [MessagesService, MessageWriter],
  exports: [MessagesService],
})
export class MessagesModule {}
