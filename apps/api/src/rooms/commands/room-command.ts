import { BadRequestError } from '@parley/common';
import type { EphemeralRoomRecord } from '@parley/database';

/** Who runs a command over the socket: the session the gateway issued and the handshake name. */
export interface RoomCaller {
  session: string;
  name: string;
  /** Presented the room's admin token in the handshake (checked at connect). */
  admin: boolean;
}

/** What a command runs with. */
export interface RoomCommandContext {
  /** The live room (404 was answered before any command runs). */
  room: EphemeralRoomRecord;
  /** The text after the command's name, trimmed ('' when none). */
  args: string;
  /** The text after the command's name as typed, only the line's ends trimmed (`/code` reads its first line). */
  rawArgs: string;
  /** The X-Admin-Token presented; already checked for `admin` commands. */
  adminToken: string | undefined;
  /** Over the socket: the caller's session. Over HTTP: undefined. */
  caller?: RoomCaller;
  /** Over HTTP: the body's optional `sender` (the name `/me` and `/code` post as). */
  sender?: string;
  /** Over HTTP: the client IP (slow mode counts HTTP posts per IP). */
  ip?: string;
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
 * checks the admin token and runs it — for the API, the socket and the page alike.
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
  run(context: RoomCommandContext): RoomCommandResult | Promise<RoomCommandResult>;
}

/** The injection token of the list of commands the registry serves. */
export const ROOM_COMMANDS = Symbol('ROOM_COMMANDS');

/** 400 `COMMAND_USAGE`: arguments missing or malformed; the message shows the usage. */
export const usageError = (command: RoomCommand, problem?: string): BadRequestError =>
  new BadRequestError(`${problem ? `${problem}. ` : ''}Usage: ${command.usage}`, 'COMMAND_USAGE');
