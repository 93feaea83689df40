import { Type } from '@nestjs/common';
import { CodeCommand } from './code.command';
import { DestroyCommand } from './destroy.command';
import { HelpCommand } from './help.command';
import { InviteCommand } from './invite.command';
import { MeCommand } from './me.command';
import { BanCommand, KickCommand, MuteCommand, SlowmodeCommand } from './moderation.commands';
import { RenameCommand } from './rename.command';
import { RoomCommand } from './room-command';
import { WhoCommand } from './who.command';

/** Every slash command, in `/help` order. Add a command here (and its class beside this file). */
export const ROOM_COMMAND_CLASSES: Type<RoomCommand>[] = [
  HelpCommand,
  InviteCommand,
  WhoCommand,
  MeCommand,
  CodeCommand,
  RenameCommand,
  DestroyCommand,
  KickCommand,
  BanCommand,
  MuteCommand,
  SlowmodeCommand,
];
