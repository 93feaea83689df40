import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { PageQueryDto, toPage } from '@parley/common';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { ThreadMetaDto } from '../events/event-types';
import { MessageContentDto, MessageResponseDto, NewMessageDto, toMessageDto } from './dto/message.dto';
import { toEdited } from './messages.controller';
import { MessagesService } from './messages.service';

/** Thread replies under a top-level message, of a channel or of a DM the caller is in. */
@Controller('messages/:messageId/thread')
export class ThreadsController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  async list(
    @CurrentPrincipal() me: Principal,
    @Param('messageId') messageId: string,
    @Query() query: PageQueryDto,
  ): Promise<{ replies: MessageResponseDto[] }> {
    return { replies: (await this.messages.listReplies(me, messageId, toPage(query))).map(toMessageDto) };
  }

  @Post()
  @HttpCode(200)
  async reply(
    @CurrentPrincipal() me: Principal,
    @Param('messageId') messageId: string,
    @Body() body: NewMessageDto,
  ): Promise<{ reply: MessageResponseDto; threadMeta: ThreadMetaDto }> {
    const { reply, threadMeta } = await this.messages.reply(me, messageId, body);
    return { reply: toMessageDto(reply), threadMeta };
  }

  @Put(':replyId')
  async edit(
    @CurrentPrincipal() me: Principal,
    @Param('messageId') messageId: string,
    @Param('replyId') replyId: string,
    @Body() body: MessageContentDto,
  ) {
    const edited = await this.messages.edit(me, replyId, body.content, { threadId: messageId });
    return { message: toEdited(toMessageDto(edited)) };
  }

  @Delete(':replyId')
  async delete(
    @CurrentPrincipal() me: Principal,
    @Param('messageId') messageId: string,
    @Param('replyId') replyId: string,
  ): Promise<{ success: true }> {
    await this.messages.delete(me, replyId, { threadId: messageId });
    return { success: true };
  }
}
