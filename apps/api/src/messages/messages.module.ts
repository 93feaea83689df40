import { Module } from '@nestjs/common';
import { ConversationAccessModule } from '../conversations/conversation-access.module';
import { ImagesModule } from '../images/images.module';
import { MentionsService } from './mentions.service';
import { MessagesController } from './messages.controller';
import { MessageWriter } from './message-writer.service';
import { MessagesService } from './messages.service';
import { ReactionsService } from './reactions.service';
import { ThreadsController } from './threads.controller';

@Module({
  imports: [ConversationAccessModule, ImagesModule],
  controllers: [MessagesController, ThreadsController],
  providers: [MessagesService, MessageWriter, MentionsService, ReactionsService],
  exports: [MessagesService, MentionsService],
})
export class MessagesModule {}
