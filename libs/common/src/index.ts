export * from './domain-errors';
export * from './error-body';
export * from './all-exceptions.filter';
export * from './validation';
export * from './content-rules';
export * from './pagination';
export * from './ids';
export * from './body-parser-errors';
