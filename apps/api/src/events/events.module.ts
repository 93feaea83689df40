import { Module } from '@nestjs/common';
import { EventRetentionService } from './event-retention.service';
import { SseController } from './sse.controller';
import { SseHub } from './sse-hub.service';

@Module({ controllers: [SseController], providers: [SseHub, EventRetentionService], exports: [SseHub] })
export class EventsModule {}
