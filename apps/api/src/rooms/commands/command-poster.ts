import { Injectable } from '@nestjs/common';
import { ipBucketKey } from '@parley/common';
import { RoomMessageDto } from '../dto/room.dto';
import { RoomMessagesService } from '../room-messages.service';
import { RoomModeration, RoomPoster } from '../room-moderation';
import { badRequest, readContent } from '../room-input';
import { roomNotFound } from '../rooms.service';
import { RoomCommandContext } from './room-command';

/** Who an HTTP `/me` or `/code` posts as without a `sender`. */
export const DEFAULT_COMMAND_SENDER = 'someone';

/** Moderation's view of a command's caller: the socket session, else the HTTP client's IP and `sender`. */
export function posterOf(context: RoomCommandContext): RoomPoster {
  const { caller } = context;
  if (caller)
    return { key: `session:${caller.session}`, session: caller.session, name: caller.name, admin: caller.admin };
  return { key: `ip:${ipBucketKey(context.ip ?? 'unknown')}`, name: context.sender ?? DEFAULT_COMMAND_SENDER };
}

/** Posts a message for a command (`/me`, `/code`): the message rules, then mute and slow mode, then the write. */
@Injectable()
export class CommandPoster {
  constructor(
    private readonly messages: RoomMessagesService,
    private readonly moderation: RoomModeration,
  ) {}

  senderOf(context: RoomCommandContext): string {
    return context.caller?.name ?? context.sender ?? DEFAULT_COMMAND_SENDER;
  }

  async post(context: RoomCommandContext, content: string): Promise<RoomMessageDto> {
    const text = readContent(content, badRequest);
    await this.moderation.admitPost(context.room, posterOf(context));
    const message = await this.messages.write(context.room, { sender: this.senderOf(context), content: text });
    if (!message) throw roomNotFound();
    return message;
  }
}
