import * as path from 'node:path';
import { Module } from '@nestjs/common';
import { DiskObjectStorage, FixedWindowRateLimiter } from '@parley/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { CommandPoster } from './commands/command-poster';
import { ROOM_COMMANDS, RoomCommand } from './commands/room-command';
import { RoomCommandRegistry } from './commands/room-command.registry';
import { ROOM_COMMAND_CLASSES } from './commands/room-commands';
import { RoomEvents } from './room-events.service';
import { RoomFileStorage } from './room-file-storage';
import { RoomHooksController } from './room-hooks.controller';
import { RoomMessagesController } from './room-messages.controller';
import { RoomMessagesService } from './room-messages.service';
import { RoomModeration } from './room-moderation';
import { RoomPresence } from './room-presence';
import { RoomRateLimitGuard, RoomRateLimiters } from './room-rate-limit.guard';
import { RoomSweeper } from './room-sweeper.service';
import { RoomUploadInterceptor } from './room-upload.interceptor';
import { createRoomVault, RoomVault } from './room-vault';
import { RoomWebhooksController } from './room-webhooks.controller';
import { RoomWebhooksService } from './room-webhooks.service';
import { RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';

/**
 * Ephemeral rooms (PRODUCT.md §5, docs/decisions/0007-ephemeral-rooms.md). Exports RoomEvents for
 * the Socket.IO gateway, and the command registry, presence, moderation and services it drives.
 */
@Module({
  controllers: [RoomsController, RoomMessagesController, RoomWebhooksController, RoomHooksController],
  providers: [
    RoomsService,
    RoomMessagesService,
    RoomWebhooksService,
    RoomEvents,
    RoomSweeper,
    RoomRateLimitGuard,
    RoomUploadInterceptor,
    RoomPresence,
    RoomModeration,
    CommandPoster,
    RoomCommandRegistry,
    ...ROOM_COMMAND_CLASSES,
    {
      provide: ROOM_COMMANDS,
      useFactory: (...commands: RoomCommand[]) => commands,
      inject: ROOM_COMMAND_CLASSES,
    },
    { provide: RoomVault, useFactory: (config: AppConfig) => createRoomVault(config), inject: [APP_CONFIG] },
    {
      provide: RoomFileStorage,
      useFactory: (config: AppConfig) => new DiskObjectStorage(path.join(config.database.dataDir, 'rooms')),
      inject: [APP_CONFIG],
    },
    {
      provide: RoomRateLimiters,
      useFactory: ({ rooms }: AppConfig) =>
        new RoomRateLimiters({
          create: new FixedWindowRateLimiter(
            rooms.rateLimit.create,
            'Too many rooms created from this address; retry later',
          ),
          post: new FixedWindowRateLimiter(rooms.rateLimit.post, 'Too many posts from this address; retry later'),
        }),
      inject: [APP_CONFIG],
    },
  ],
  exports: [
    RoomEvents,
    RoomsService,
    RoomMessagesService,
    RoomCommandRegistry,
    RoomPresence,
    RoomModeration,
    RoomRateLimiters,
  ],
})
export class RoomsModule {}
