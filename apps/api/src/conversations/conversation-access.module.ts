import { Module } from '@nestjs/common';
import { ConversationAccess } from './conversation-access.service';

@Module({ providers: [ConversationAccess], exports: [ConversationAccess] })
export class ConversationAccessModule {}
