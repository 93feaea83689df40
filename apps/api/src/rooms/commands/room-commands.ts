import { Type } from '@nestjs/common';
import { DestroyCommand } from './destroy.command';
import { RoomCommand } from './room-command';

/** Every slash command, in `/help` order. Add a command here (and its class beside this file). */
export const ROOM_COMMAND_CLASSES: Type<RoomCommand>[] = [DestroyCommand];
