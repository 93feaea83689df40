import { Injectable } from '@nestjs/common';
import { RoomPresence } from '../room-presence';
import { RoomCommand, RoomCommandContext, RoomCommandResult } from './room-command';

/** `/who`: the names connected to the room over the socket (to any process), each once. */
@Injectable()
export class WhoCommand implements RoomCommand {
  readonly name = 'who';
  readonly aliases = [];
  readonly usage = '/who';
  readonly description = 'List everyone currently in the room.';
  readonly admin = false;

  constructor(private readonly presence: RoomPresence) {}

  async run({ room }: RoomCommandContext): Promise<RoomCommandResult> {
    return { status: 'ok', command: this.name, who: await this.presence.who(room) };
  }
}
