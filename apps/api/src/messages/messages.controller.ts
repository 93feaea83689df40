import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { PageQueryDto, toPage } from '@parley/common';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { MessageContentDto, MessageResponseDto, toMessageDto } from './dto/message.dto';
import { MessagesService } from './messages.service';

@Controller()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get('channels/:channelId/messages')
  async list(
    @CurrentPrincipal() me: Principal,
    @Param('channelId') channelId: string,
    @Query() query: PageQueryDto,
  ): Promise<{ messages: MessageResponseDto[] }> {
    return { messages: (await this.messages.list(me, channelId, toPage(query))).map(toMessageDto) };
  }

  @Post('channels/:channelId/messages')
  @HttpCode(200)
  async post(
    @CurrentPrincipal() me: Principal,
    @Param('channelId') channelId: string,
    @Body() body: MessageContentDto,
  ): Promise<{ message: MessageResponseDto }> {
    return { message: toMessageDto(await this.messages.post(me, channelId, body.content)) };
  }

  @Put('messages/:messageId')
  async edit(
    @CurrentPrincipal() me: Principal,
    @Param('messageId') messageId: string,
    @Body() body: MessageContentDto,
  ): Promise<{ message: Pick<MessageResponseDto, 'id' | 'channelId' | 'content' | 'updatedAt'> }> {
    const m = toMessageDto(await this.messages.edit(me, messageId, body.content));
    return { message: { id: m.id, channelId: m.channelId, content: m.content, updatedAt: m.updatedAt } };
  }

  @Delete('messages/:messageId')
  async delete(@CurrentPrincipal() me: Principal, @Param('messageId') messageId: string): Promise<{ success: true }> {
    await this.messages.delete(me, messageId);
    return { success: true };
  }
}
