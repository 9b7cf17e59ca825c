/**
 * Tests run against the real stack: see test/support/global-setup.ts.
 *
 * TypeScript is transpiled by SWC (@swc/jest), file by file, as tsconfig's `isolatedModules` already
 * requires: on a fresh clone (cold Jest cache, as in CI) ts-jest's TypeScript emit cost about 30 s
 * of CPU per run. Types are checked by `npm run check`, not here. The options mirror tsconfig.json:
 * legacy decorators with their metadata, no define semantics for class fields (MikroORM entities).
 */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['reflect-metadata', '<rootDir>/test/support/quiet-temporal.ts'],
  testTimeout: 60_000,
  // Three workers on two cores: most files wait on Temporal, PostgreSQL and the broker more than they
  // compute (eject-watch used 22 s of CPU in 95 s). Measured on this 2-core machine, `npm test`'s Jest
  // took 522 s with 2 workers and 423 s with 3, every test passing in both.
  maxWorkers: 3,
  forceExit: false,
};
