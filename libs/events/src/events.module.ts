import { Global, Module } from '@nestjs/common';
import { EventsRepository } from '@parley/database';
import { EventBus } from './event-bus';
import { InProcessEventBus } from './in-process-event-bus';
import { UnitOfWork } from './unit-of-work';

@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      useFactory: (events: EventsRepository) => new InProcessEventBus(events),
      inject: [EventsRepository],
    },
    UnitOfWork,
  ],
  exports: [EventBus, UnitOfWork],
})
export class EventBusModule {}
