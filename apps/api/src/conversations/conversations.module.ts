import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { ConversationAccessModule } from './conversation-access.module';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';

@Module({
  imports: [ConversationAccessModule, MessagesModule],
  controllers: [ConversationsController],
  providers: [ConversationsService],
})
export class ConversationsModule {}
