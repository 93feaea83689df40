export * from './event-bus';
export * from './event-log-tailer';
export * from './in-process-event-bus';
export * from './unit-of-work';
export * from './events.module';
