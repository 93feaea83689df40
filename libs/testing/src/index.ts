export * from './test-database';
export * from './api-client';
export * from './sse-client';
export * from './given';
export * from './smtp-sink';
export * from './fake-oauth-provider';
