import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@parley/common';
import { RoomModeration } from '../room-moderation';
import { PresentParticipant, RoomPresence } from '../room-presence';
import { RoomCommand, RoomCommandContext, RoomCommandResult, usageError } from './room-command';

export const DEFAULT_MUTE_SECONDS = 10 * 60;
export const MAX_MUTE_SECONDS = 24 * 60 * 60;
export const MAX_SLOWMODE_SECONDS = 60 * 60;
/** `/mute` time: a number with `s`, `m` or `h`; a bare number is minutes. */
const DURATION = /^(\d{1,6})([smh]?)$/i;

/** The participants called `@name` (the whole argument; case-insensitive); 404 `PARTICIPANT_NOT_FOUND` if nobody here is. */
async function targetsOf(
  presence: RoomPresence,
  command: RoomCommand,
  context: RoomCommandContext,
  target: string,
): Promise<PresentParticipant[]> {
  if (target.replace(/^@/, '').trim() === '') throw usageError(command, 'A participant is required');
  const found = await presence.find(context.room, target);
  if (found.length === 0) {
    throw new NotFoundError(`Participant ${JSON.stringify(target.slice(0, 60))} in this room`, 'PARTICIPANT_NOT_FOUND');
  }
  return found;
}

/** `/kick` and `/ban`: find everyone of that name, remove them, answer with the name. */
@Injectable() // so its constructor's parameter types are recorded for the subclasses' injection
abstract class RemovalCommand implements RoomCommand {
  abstract readonly name: 'kick' | 'ban';
  abstract readonly usage: string;
  abstract readonly description: string;
  readonly aliases = [];
  readonly admin = true;

  constructor(
    private readonly presence: RoomPresence,
    protected readonly moderation: RoomModeration,
  ) {}

  protected abstract remove(context: RoomCommandContext, name: string, sessionHashes: Buffer[]): Promise<void>;

  async run(context: RoomCommandContext): Promise<RoomCommandResult> {
    const targets = await targetsOf(this.presence, this, context, context.args);
    await this.remove(
      context,
      targets[0].name,
      targets.map((t) => t.sessionHash),
    );
    return { status: 'ok', command: this.name, [this.name === 'kick' ? 'kicked' : 'banned']: targets[0].name };
  }
}

/** `/kick @name`: disconnects every socket of that name (they hear `kicked`); they may come back. */
@Injectable()
export class KickCommand extends RemovalCommand {
  readonly name = 'kick';
  readonly usage = '/kick @name';
  readonly description = 'Remove a participant from the room (they may rejoin).';

  protected remove(context: RoomCommandContext, _name: string, sessionHashes: Buffer[]): Promise<void> {
    return this.moderation.kick(context.room, sessionHashes);
  }
}

/**
 * `/ban @name`: disconnects that name's sockets (they hear `banned`) and refuses, for the room's
 * life, any handshake with one of their session ids or with that name (connect error `banned`).
 */
@Injectable()
export class BanCommand extends RemovalCommand {
  readonly name = 'ban';
  readonly usage = '/ban @name';
  readonly description = 'Remove a participant and block them from rejoining.';

  protected remove(context: RoomCommandContext, name: string, sessionHashes: Buffer[]): Promise<void> {
    return this.moderation.ban(context.room, name, sessionHashes);
  }
}

/** `/mute @name [time]`: that name's sessions (and the name) cannot post for the time (default 10 min). */
@Injectable()
export class MuteCommand implements RoomCommand {
  readonly name = 'mute';
  readonly aliases = [];
  readonly usage = '/mute @name [time]  (time: 30s, 10m, 2h; a bare number is minutes; default 10m, at most 24h)';
  readonly description = 'Temporarily prevent a participant from posting.';
  readonly admin = true;

  constructor(
    private readonly presence: RoomPresence,
    private readonly moderation: RoomModeration,
  ) {}

  async run(context: RoomCommandContext): Promise<RoomCommandResult> {
    let target = context.args;
    let seconds = DEFAULT_MUTE_SECONDS;
    const words = context.args.split(/\s+/);
    const duration = words.length > 1 ? DURATION.exec(words[words.length - 1]) : null;
    if (duration) {
      const unit = duration[2].toLowerCase();
      seconds = Number(duration[1]) * (unit === 's' ? 1 : unit === 'h' ? 3600 : 60);
      if (seconds < 1 || seconds > MAX_MUTE_SECONDS)
        throw usageError(this, 'The time must be from 1 second to 24 hours');
      target = words.slice(0, -1).join(' ');
    }
    const targets = await targetsOf(this.presence, this, context, target);
    await this.moderation.mute(
      context.room,
      targets[0].name,
      targets.map((t) => t.sessionHash),
      seconds,
    );
    return { status: 'ok', command: this.name, muted: targets[0].name, seconds };
  }
}

/** `/slowmode <secs>`: each session (socket) or IP (HTTP) may post once per that many seconds; 0 turns it off. */
@Injectable()
export class SlowmodeCommand implements RoomCommand {
  readonly name = 'slowmode';
  readonly aliases = [];
  readonly usage = '/slowmode <secs>  (0 turns it off; at most 3600)';
  readonly description = 'Rate-limit how often participants can post.';
  readonly admin = true;

  constructor(private readonly moderation: RoomModeration) {}

  async run(context: RoomCommandContext): Promise<RoomCommandResult> {
    if (!/^\d{1,5}$/.test(context.args)) throw usageError(this, 'A number of seconds is required');
    const seconds = Number(context.args);
    if (seconds > MAX_SLOWMODE_SECONDS) throw usageError(this, 'At most 3600 seconds');
    await this.moderation.slowmode(context.room, seconds);
    return { status: 'ok', command: this.name, slowmode: seconds };
  }
}
