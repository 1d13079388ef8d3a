/** Unit specs sit beside the code; e2e specs under test/ boot the app on a real database. */
const shared = {
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // ESM-only dependencies: see test/setup/esm-to-cjs.js.
    '/node_modules/(content-disposition|jose)/.+\\.js$': '<rootDir>/test/setup/esm-to-cjs.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|jose)/)'],
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' },
  testEnvironment: 'node',
};

// Suites that need real PostgreSQL (and Redis) are left out without them, and the run ends by
// naming them (test/setup/skipped-suites-reporter.js). `npm test` alone needs neither.
const { skippedSuites } = require('./test/setup/suites-needing-services');

module.exports = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/setup/skipped-suites-reporter.js'],
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: skippedSuites().map((entry) => entry.pattern),
    },
  ],
};
