import type { EphemeralRoomRecord } from '@parley/database';

/** What a command runs with. The socket and the page will add the caller's session identity here. */
export interface RoomCommandContext {
  /** The live room (404 was answered before any command runs). */
  room: EphemeralRoomRecord;
  /** The text after the command's name, trimmed ('' when none). */
  args: string;
  /** The X-Admin-Token presented; already checked for `admin` commands. */
  adminToken: string | undefined;
}

/** Every command answers `{status, command, …}` (PRODUCT.md §5); `command` is the canonical name. */
export interface RoomCommandResult {
  status: string;
  command: string;
  [field: string]: unknown;
}

/**
 * One slash command. To add one: a class implementing this (an @Injectable, so it can use the
 * rooms services), listed in ROOM_COMMAND_CLASSES (room-commands.ts). The registry parses, finds,
 * checks the admin token and runs it — for the API now, for the socket and the page later.
 */
export interface RoomCommand {
  /** Lowercase, without the slash: `destroy`. */
  readonly name: string;
  readonly aliases: readonly string[];
  /** As `/help` shows it: `/rename <name>`. */
  readonly usage: string;
  readonly description: string;
  /** Needs the room's admin token (X-Admin-Token); 403 without it. */
  readonly admin: boolean;
  run(context: RoomCommandContext): Promise<RoomCommandResult>;
}

/** The injection token of the list of commands the registry serves. */
export const ROOM_COMMANDS = Symbol('ROOM_COMMANDS');
