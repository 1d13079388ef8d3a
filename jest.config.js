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

// Several instances need a database they can share: real PostgreSQL, with Redis between them.
// The Redis outage suite starts and stops a redis-server of its own, so it also runs only where
// Redis is installed. The database outage suite cuts a PostgreSQL server off from the app, which
// the embedded database (in the app's process) cannot be. `npm test` alone needs neither.
const postgres = Boolean(process.env.TEST_DATABASE_URL);
const sharedServices = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);
const needsPostgres = ['/test/database-outage\\.e2e-spec\\.ts$'];
const needsSharedServices = [
  '/test/multi-instance\\.e2e-spec\\.ts$',
  '/test/redis-outage\\.e2e-spec\\.ts$',
  '/test/invalidation-outage\\.e2e-spec\\.ts$',
];

module.exports = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 30000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: [
        ...(postgres ? [] : needsPostgres),
        ...(sharedServices ? [] : needsSharedServices),
      ],
    },
  ],
};
