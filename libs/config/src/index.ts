export * from './app-config';
export * from './load-config';
export * from './jwt-secret';
export * from './config.module';
export * from './test-env';
export * from './cli-env';
