import { Injectable } from '@nestjs/common';
import { CommandPoster } from './command-poster';
import { RoomCommand, RoomCommandContext, RoomCommandResult, usageError } from './room-command';

/**
 * `/me <action>`: posts `* <name> <action>` as the caller — the socket's name, or over HTTP the
 * body's `sender` (default `someone`). Muted and slow-mode rules apply as to any post.
 */
@Injectable()
export class MeCommand implements RoomCommand {
  readonly name = 'me';
  readonly aliases = [];
  readonly usage = '/me <action>';
  readonly description = 'Post a third-person action message.';
  readonly admin = false;

  constructor(private readonly poster: CommandPoster) {}

  async run(context: RoomCommandContext): Promise<RoomCommandResult> {
    if (context.args === '') throw usageError(this, 'An action is required');
    const message = await this.poster.post(context, `* ${this.poster.senderOf(context)} ${context.args}`);
    return { status: 'ok', command: this.name, message };
  }
}
