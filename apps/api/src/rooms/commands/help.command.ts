import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { RoomCommand, RoomCommandResult } from './room-command';
import { RoomCommandRegistry } from './room-command.registry';

/** `/help`: every command, its usage and whether it needs the admin token. */
@Injectable()
export class HelpCommand implements RoomCommand {
  readonly name = 'help';
  readonly aliases = [];
  readonly usage = '/help';
  readonly description = 'List the commands.';
  readonly admin = false;

  // The registry is built from the commands, this one included: looked up when run, not injected.
  constructor(private readonly moduleRef: ModuleRef) {}

  run(): RoomCommandResult {
    const commands = this.moduleRef
      .get(RoomCommandRegistry, { strict: false })
      .list()
      .map(({ name, usage, description, admin }) => ({ name, usage, description, admin }));
    return { status: 'ok', command: this.name, commands };
  }
}
