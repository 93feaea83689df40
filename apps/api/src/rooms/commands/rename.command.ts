import { Injectable } from '@nestjs/common';
import { readRoomName } from '../room-input';
import { RoomsService } from '../rooms.service';
import { RoomCommand, RoomCommandContext, RoomCommandResult, usageError } from './room-command';

/** `/rename <name>`: the rename route's rules (1–50 characters, one line); live clients hear `room_updated`. */
@Injectable()
export class RenameCommand implements RoomCommand {
  readonly name = 'rename';
  readonly aliases = [];
  readonly usage = '/rename <name>';
  readonly description = 'Rename the room (at most 50 characters).';
  readonly admin = true;

  constructor(private readonly rooms: RoomsService) {}

  async run({ room, args }: RoomCommandContext): Promise<RoomCommandResult> {
    if (args === '') throw usageError(this, 'A name is required');
    const name = readRoomName(args);
    await this.rooms.rename(room.code, name);
    return { status: 'ok', command: this.name, name };
  }
}
