import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { PageQueryDto, toPage } from '@parley/common';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import {
  MarkReadDto,
  MessageContentDto,
  MessageResponseDto,
  NewMessageDto,
  toMessageDto,
} from '../messages/dto/message.dto';
import { toEdited } from '../messages/messages.controller';
import { MessagesService } from '../messages/messages.service';
import { ConversationsService, DmDto } from './conversations.service';

export class CreateConversationDto {
  @IsString()
  @Length(1, 64)
  targetUserId!: string;
}

/** DMs (`/conversations…`) and the read markers of channels and DMs. */
@Controller()
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
  ) {}

  @Get('conversations')
  async list(@CurrentPrincipal() me: Principal): Promise<{ conversations: DmDto[] }> {
    return { conversations: await this.conversations.list(me) };
  }

  @Post('conversations')
  @HttpCode(200)
  createOrGet(@CurrentPrincipal() me: Principal, @Body() body: CreateConversationDto) {
    return this.conversations.createOrGet(me, body.targetUserId);
  }

  @Get('conversations/:conversationId/messages')
  async listMessages(
    @CurrentPrincipal() me: Principal,
    @Param('conversationId') conversationId: string,
    @Query() query: PageQueryDto,
  ): Promise<{ messages: MessageResponseDto[] }> {
    return { messages: (await this.messages.list(me, conversationId, 'dm', toPage(query))).map(toMessageDto) };
  }

  @Post('conversations/:conversationId/messages')
  @HttpCode(200)
  async post(
    @CurrentPrincipal() me: Principal,
    @Param('conversationId') conversationId: string,
    @Body() body: NewMessageDto,
  ): Promise<{ message: MessageResponseDto }> {
    return { message: toMessageDto(await this.messages.post(me, conversationId, 'dm', body)) };
  }

  @Put('conversations/:conversationId/messages/:messageId')
  async edit(
    @CurrentPrincipal() me: Principal,
    @Param('conversationId') conversationId: string,
    @Param('messageId') messageId: string,
    @Body() body: MessageContentDto,
  ) {
    await this.conversations.requireDm(me, conversationId);
    const edited = await this.messages.edit(me, messageId, body.content, { conversationId });
    return { message: toEdited(toMessageDto(edited)) };
  }

  @Delete('conversations/:conversationId/messages/:messageId')
  async delete(
    @CurrentPrincipal() me: Principal,
    @Param('conversationId') conversationId: string,
    @Param('messageId') messageId: string,
  ): Promise<{ success: true }> {
    await this.conversations.requireDm(me, conversationId);
    await this.messages.delete(me, messageId, { conversationId });
    return { success: true };
  }

  @Put('conversations/:conversationId/read')
  markDmRead(
    @CurrentPrincipal() me: Principal,
    @Param('conversationId') conversationId: string,
    @Body() body: MarkReadDto,
  ) {
    return this.conversations.markRead(me, conversationId, 'dm', body.messageId);
  }

  @Put('channels/:channelId/read')
  markChannelRead(@CurrentPrincipal() me: Principal, @Param('channelId') channelId: string, @Body() body: MarkReadDto) {
    return this.conversations.markRead(me, channelId, 'channel', body.messageId);
  }
}
