const { skippedSuites } = require('./suites-needing-services');

/** Ends every run with the suites it left out and why (see suites-needing-services.js). */
class SkippedSuitesReporter {
  onRunComplete() {
    const skipped = skippedSuites();
    if (skipped.length === 0) return;
    const lines = skipped.map(({ suite, needs, why }) => `  - ${suite}: needs ${needs} (${why})`);
    process.stdout.write(
      `\nNot run here, ${skipped.length} suite(s):\n${lines.join('\n')}\n` +
        'Run them with TEST_DATABASE_URL=postgres://… TEST_REDIS_URL=redis://… npm test\n',
    );
  }
}

module.exports = SkippedSuitesReporter;
