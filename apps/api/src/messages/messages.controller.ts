import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { PageQueryDto, toPage } from '@parley/common';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { MessageContentDto, MessageResponseDto, NewMessageDto, ReactionDto, toMessageDto } from './dto/message.dto';
import { MessagesService } from './messages.service';
import { ReactionsService } from './reactions.service';

type EditedMessage = Pick<MessageResponseDto, 'id' | 'threadId' | 'channelId' | 'content' | 'mentions' | 'updatedAt'>;
/** The answer to an edit: what changed, and for a reply its thread (as UPDATE_THREAD_REPLY carries). */
export const toEdited = (m: MessageResponseDto): EditedMessage => ({
  id: m.id,
  ...(m.threadId !== undefined ? { threadId: m.threadId } : {}),
  channelId: m.channelId,
  content: m.content,
  mentions: m.mentions,
  updatedAt: m.updatedAt,
});

/** Channel messages, and what works on any message the caller can read (edit, delete, reactions). */
@Controller()
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly reactions: ReactionsService,
  ) {}

  @Get('channels/:channelId/messages')
  async list(
    @CurrentPrincipal() me: Principal,
    @Param('channelId') channelId: string,
    @Query() query: PageQueryDto,
  ): Promise<{ messages: MessageResponseDto[] }> {
    return { messages: (await this.messages.list(me, channelId, 'channel', toPage(query))).map(toMessageDto) };
  }

  @Post('channels/:channelId/messages')
  @HttpCode(200)
  async post(
    @CurrentPrincipal() me: Principal,
    @Param('channelId') channelId: string,
    @Body() body: NewMessageDto,
  ): Promise<{ message: MessageResponseDto }> {
    return { message: toMessageDto(await this.messages.post(me, channelId, 'channel', body)) };
  }

  @Put('messages/:messageId')
  async edit(
    @CurrentPrincipal() me: Principal,
    @Param('messageId') messageId: string,
    @Body() body: MessageContentDto,
  ): Promise<{ message: EditedMessage }> {
    return { message: toEdited(toMessageDto(await this.messages.edit(me, messageId, body.content))) };
  }

  @Delete('messages/:messageId')
  async delete(@CurrentPrincipal() me: Principal, @Param('messageId') messageId: string): Promise<{ success: true }> {
    await this.messages.delete(me, messageId);
    return { success: true };
  }

  @Post('messages/:messageId/reactions')
  @HttpCode(200)
  async react(
    @CurrentPrincipal() me: Principal,
    @Param('messageId') messageId: string,
    @Body() body: ReactionDto,
  ): Promise<{ message: { id: string; reactions: Record<string, string[]> } }> {
    const m = await this.reactions.add(me, messageId, body.reaction);
    return { message: { id: m.id, reactions: m.reactions } };
  }

  @Delete('messages/:messageId/reactions')
  async unreact(
    @CurrentPrincipal() me: Principal,
    @Param('messageId') messageId: string,
    @Body() body: ReactionDto,
  ): Promise<{ message: { id: string; reactions: Record<string, string[]> } }> {
    const m = await this.reactions.remove(me, messageId, body.reaction);
    return { message: { id: m.id, reactions: m.reactions } };
  }
}
