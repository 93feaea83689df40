import * as path from 'node:path';
import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@parley/config';
import { DataSource } from 'typeorm';
import { ConversationAccessModule } from '../conversations/conversation-access.module';
import { ImagesController } from './images.controller';
import { ImagesRepository } from './images.repository';
import { ImagesService } from './images.service';
import { DiskImageStorage } from './storage/disk-image-storage';
import { ImageStorage } from './storage/image-storage';

/** Image upload and download; exports ImagesService for messages that attach images. */
@Module({
  imports: [ConversationAccessModule],
  controllers: [ImagesController],
  providers: [
    ImagesService,
    { provide: ImagesRepository, useFactory: (ds: DataSource) => new ImagesRepository(ds), inject: [DataSource] },
    {
      provide: ImageStorage,
      useFactory: (config: AppConfig) => new DiskImageStorage(path.join(config.database.dataDir, 'images')),
      inject: [APP_CONFIG],
    },
  ],
  exports: [ImagesService],
})
export class ImagesModule {}
