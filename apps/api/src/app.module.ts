import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@parley/config';
import { DatabaseModule } from '@parley/database';
import { EventBusModule } from '@parley/events';
import { AuthModule } from './auth/auth.module';
import { ChannelsModule } from './channels/channels.module';
import { ConversationsModule } from './conversations/conversations.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { ImagesModule } from './images/images.module';
import { MailModule } from './mail/mail.module';
import { MessagesModule } from './messages/messages.module';
import { RoomsLiveModule } from './rooms/live/rooms-live.module';
import { RoomsModule } from './rooms/rooms.module';
import { SettingsModule } from './settings/settings.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

/** The composition root. The database URL is resolved before (embedded or external). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: config.database.poolSize }),
        EventBusModule,
        HealthModule,
        MailModule,
        AuthModule,
        WorkspacesModule,
        UsersModule,
        ChannelsModule,
        MessagesModule,
        ConversationsModule,
        ImagesModule,
        WebhooksModule,
        SettingsModule,
        EventsModule,
        RoomsModule,
        RoomsLiveModule,
      ],
    };
  }
}
