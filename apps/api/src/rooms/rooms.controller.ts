import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiConsumes } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators/public.decorator';
import { RoomCommandRegistry } from './commands/room-command.registry';
import { RoomCommandResult } from './commands/room-command';
import { CreatedRoomDto, CreateRoomDto, RenameRoomDto, RoomCommandDto, RoomDto } from './dto/room.dto';
import { MutedError, SlowmodeError } from './room-moderation';
import { RoomRateLimit, RoomRateLimitGuard } from './room-rate-limit.guard';
import { readDisplayName, readRoomName, badRequest, MAX_ROOM_NAME_LENGTH } from './room-input';
import { RoomsService } from './rooms.service';

/** Rooms have no accounts: every route is public; the code (and the admin token) are the credentials. */
@Public()
@UseGuards(RoomRateLimitGuard)
@Controller('rooms')
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly commands: RoomCommandRegistry,
  ) {}

  @Post()
  @HttpCode(200)
  @RoomRateLimit('create')
  create(@Body() body: CreateRoomDto): Promise<CreatedRoomDto> {
    return this.rooms.create(readDisplayName(body.name, 'name', badRequest, MAX_ROOM_NAME_LENGTH));
  }

  @Get(':code')
  async get(@Param('code') code: string): Promise<RoomDto> {
    return this.rooms.toDto(await this.rooms.requireLive(code));
  }

  @Post(':code/rename')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  async rename(@Param('code') code: string, @Body() body: RenameRoomDto): Promise<{ status: 'ok' }> {
    await this.rooms.rename(code, readRoomName(body.name));
    return { status: 'ok' };
  }

  @Post(':code/commands')
  @HttpCode(200)
  async run(
    @Param('code') code: string,
    @Body() body: RoomCommandDto,
    @Headers('x-admin-token') adminToken: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RoomCommandResult> {
    // No session over HTTP: `/me` and `/code` post as `sender`; slow mode counts per IP.
    const sender = readDisplayName(body.sender, 'sender', badRequest);
    try {
      return await this.commands.run(code, body.command, { adminToken, sender, ip: req.ip });
    } catch (error) {
      if (error instanceof SlowmodeError || error instanceof MutedError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
  }

  /** The lower-level form of `/destroy`. */
  @Delete(':code')
  async destroy(
    @Param('code') code: string,
    @Headers('x-admin-token') adminToken: string | undefined,
  ): Promise<{ status: 'destroyed' }> {
    await this.rooms.destroy(code, adminToken);
    return { status: 'destroyed' };
  }
}
