import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { BadRequestError } from '@parley/common';
import { RoomsService } from '../rooms.service';
import { ROOM_COMMANDS, RoomCommand, RoomCommandContext, RoomCommandResult } from './room-command';

/** Who runs the line and how: everything of the context but the room and the arguments. */
export type RoomCommandOrigin = Omit<RoomCommandContext, 'room' | 'args' | 'rawArgs'>;

/** A command line: `/name args…` or `name args…`. */
const COMMAND_LINE = /^\/?([A-Za-z][A-Za-z0-9_-]{0,31})(\s[\s\S]*)?$/;

export interface RoomCommandInfo {
  name: string;
  usage: string;
  description: string;
  admin: boolean;
}

/**
 * The one place slash commands are parsed, looked up, authorised and run: shared by
 * `POST /rooms/:code/commands`, the socket's `command` event and (through the socket) the page.
 */
@Injectable()
export class RoomCommandRegistry {
  private readonly byName = new Map<string, RoomCommand>();

  constructor(
    @Inject(ROOM_COMMANDS) private readonly commands: RoomCommand[],
    private readonly rooms: RoomsService,
  ) {
    for (const command of commands) {
      for (const name of [command.name, ...command.aliases]) {
        if (this.byName.has(name)) throw new Error(`two room commands are called /${name}`);
        this.byName.set(name, command);
      }
    }
  }

  /** What `/help` lists and an unknown command's 400 names. */
  list(): RoomCommandInfo[] {
    return this.commands.map(({ name, usage, description, admin }) => ({ name, usage, description, admin }));
  }

  /**
   * Runs a command line against a room. Order: the room (404), the command (400, listing the
   * commands), the admin token for admin commands (403), then the command itself.
   */
  async run(rawCode: unknown, line: string, origin: RoomCommandOrigin): Promise<RoomCommandResult> {
    const room = await this.rooms.requireLive(rawCode);
    const parsed = COMMAND_LINE.exec(line.trim());
    const command = parsed ? this.byName.get(parsed[1].toLowerCase()) : undefined;
    if (!parsed || !command) throw this.unknown(line);
    if (command.admin) this.rooms.checkAdmin(room, origin.adminToken);
    const rawArgs = (parsed[2] ?? '').replace(/^[ \t]+/, '');
    return command.run({ ...origin, room, args: rawArgs.trim(), rawArgs });
  }

  private unknown(line: string): Error {
    const names = this.commands.flatMap((c) => [c.name, ...c.aliases]).map((n) => `/${n}`);
    const shown = line.trim().split(/\s/, 1)[0]?.slice(0, 40) ?? '';
    if (shown === '') return new BadRequestError('command must not be empty', 'VALIDATION_FAILED');
    // `details` carries the list in the error body, as validation errors carry theirs.
    return new BadRequestException({
      error: `Unknown command ${JSON.stringify(shown)}; commands: ${names.join(', ')}`,
      code: 'UNKNOWN_COMMAND',
      details: names,
    });
  }
}
