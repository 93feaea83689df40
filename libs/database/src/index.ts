export * from './entities';
export * from './repositories';
export * from './data-source';
export * from './database.module';
export * from './embedded-postgres';
export { MIGRATIONS } from './migrations';
export * from './pg-errors';
