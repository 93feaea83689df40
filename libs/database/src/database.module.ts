import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from './data-source';
import {
  ConversationsRepository,
  EphemeralMessagesRepository,
  EphemeralRoomModerationRepository,
  EphemeralRoomPresenceRepository,
  EphemeralRoomsRepository,
  EphemeralWebhooksRepository,
  EventsRepository,
  MessagesRepository,
  OAuthIdentitiesRepository,
  OneTimeTokensRepository,
  RateLimitCountersRepository,
  ReactionsRepository,
  SessionsRepository,
  UsersRepository,
  WebhooksRepository,
  WorkspacesRepository,
} from './repositories';

const REPOSITORIES = [
  WorkspacesRepository,
  UsersRepository,
  SessionsRepository,
  ConversationsRepository,
  MessagesRepository,
  ReactionsRepository,
  WebhooksRepository,
  EventsRepository,
  OAuthIdentitiesRepository,
  OneTimeTokensRepository,
  RateLimitCountersRepository,
  EphemeralRoomsRepository,
  EphemeralMessagesRepository,
  EphemeralWebhooksRepository,
  EphemeralRoomPresenceRepository,
  EphemeralRoomModerationRepository,
];

export interface DatabaseModuleOptions {
  url: string;
  poolSize: number;
}

/** Connects, applies migrations at boot, and provides every repository. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          useFactory: async () => {
            const dataSource = createDataSource(options.url, { poolSize: options.poolSize });
            await dataSource.initialize();
            await runMigrations(dataSource);
            return dataSource;
          },
        },
        ...REPOSITORIES.map((R) => ({
          provide: R,
          useFactory: (ds: DataSource) => new R(ds),
          inject: [DataSource],
        })),
      ],
      exports: [DataSource, ...REPOSITORIES],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
