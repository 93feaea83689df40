import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { RoomCommand, RoomCommandContext, RoomCommandResult } from './room-command';

/** `/invite`: the room page's link (`APP_URL/chat/<code>`) and the code. */
@Injectable()
export class InviteCommand implements RoomCommand {
  readonly name = 'invite';
  readonly aliases = [];
  readonly usage = '/invite';
  readonly description = "Show the room's invite link and code.";
  readonly admin = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  run({ room }: RoomCommandContext): RoomCommandResult {
    return { status: 'ok', command: this.name, url: `${this.config.server.appUrl}/chat/${room.code}`, code: room.code };
  }
}
