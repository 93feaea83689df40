import { Injectable } from '@nestjs/common';
import { RoomsService } from '../rooms.service';
import { RoomCommand, RoomCommandContext, RoomCommandResult } from './room-command';

/** `/destroy` (alias `/close`): deletes the room, its messages, webhooks and files; live clients hear `destroyed`. */
@Injectable()
export class DestroyCommand implements RoomCommand {
  readonly name = 'destroy';
  readonly aliases = ['close'];
  readonly usage = '/destroy';
  readonly description = 'Permanently delete the room and everything in it.';
  readonly admin = true;

  constructor(private readonly rooms: RoomsService) {}

  async run({ room }: RoomCommandContext): Promise<RoomCommandResult> {
    await this.rooms.end(room);
    return { status: 'destroyed', command: this.name };
  }
}
