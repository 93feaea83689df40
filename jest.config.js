// @swc/jest compiles TypeScript fast; decorator metadata is needed for Nest's injection.
const swc = {
  swcrc: false,
  sourceMaps: 'inline',
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
    // Rewritten at compile time, so the global setup (which ignores moduleNameMapper) resolves too.
    baseUrl: __dirname,
    paths: Object.fromEntries(
      ['config', 'common', 'crypto', 'database', 'events', 'testing'].map((lib) => [
        `@parley/${lib}`,
        [`libs/${lib}/src`],
      ]),
    ),
  },
};

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
