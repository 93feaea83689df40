export * from './hashing';
export * from './keys';
export * from './at-rest-cipher';
