import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Principal } from '@parley/database';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { ChannelNameDto, ChannelResponseDto, toChannelDto } from './dto/channel.dto';
import { ChannelsService } from './channels.service';

@Controller('channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get()
  async list(
    @CurrentPrincipal() me: Principal,
  ): Promise<{ channels: Array<ChannelResponseDto & { unreadCount: number }> }> {
    const channels = await this.channels.listFor(me);
    return { channels: channels.map((c) => ({ ...toChannelDto(c), unreadCount: c.unreadCount })) };
  }

  @Post()
  @HttpCode(200)
  @Roles('admin')
  async create(
    @CurrentPrincipal() me: Principal,
    @Body() body: ChannelNameDto,
  ): Promise<{ channel: ChannelResponseDto }> {
    return { channel: toChannelDto(await this.channels.create(me, body.name)) };
  }

  @Put(':channelId')
  @Roles('admin')
  async rename(
    @CurrentPrincipal() me: Principal,
    @Param('channelId') channelId: string,
    @Body() body: ChannelNameDto,
  ): Promise<{ channel: ChannelResponseDto }> {
    return { channel: toChannelDto(await this.channels.rename(me, channelId, body.name)) };
  }

  @Delete(':channelId')
  @Roles('admin')
  async delete(@CurrentPrincipal() me: Principal, @Param('channelId') channelId: string): Promise<{ success: true }> {
    await this.channels.delete(me, channelId);
    return { success: true };
  }
}
