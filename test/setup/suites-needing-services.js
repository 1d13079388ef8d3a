/**
 * The e2e suites that need more than `npm test` alone gives them, and why. jest.config.js leaves
 * them out when the service is missing, and the skipped-suites reporter says so at the end of
 * the run: a green run on the embedded database must say what it did not prove.
 */
const NEEDS = [
  {
    pattern: '/test/database-outage\\.e2e-spec\\.ts$',
    suite: 'test/database-outage.e2e-spec.ts',
    needs: 'TEST_DATABASE_URL',
    why: 'it cuts a PostgreSQL server off from the app; the embedded database lives in the app',
  },
  ...[
    ['test/multi-instance.e2e-spec.ts', 'several instances share one PostgreSQL and Redis'],
    ['test/redis-outage.e2e-spec.ts', 'it kills and pauses a redis-server of its own'],
    ['test/invalidation-outage.e2e-spec.ts', 'two instances share one PostgreSQL and Redis'],
  ].map(([suite, why]) => ({
    pattern: `/${suite.replace(/\./g, '\\.')}$`,
    suite,
    needs: 'TEST_DATABASE_URL and TEST_REDIS_URL',
    why,
  })),
];

/** The suites this environment cannot run, with the reason. */
function skippedSuites(env = process.env) {
  const postgres = Boolean(env.TEST_DATABASE_URL);
  const redis = Boolean(env.TEST_REDIS_URL);
  return NEEDS.filter((entry) =>
    entry.needs === 'TEST_DATABASE_URL' ? !postgres : !(postgres && redis),
  );
}

module.exports = { skippedSuites };
