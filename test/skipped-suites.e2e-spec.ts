import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** What a fresh process makes of the configuration and the reporter, given `env`. */
function inEnvironment(env: Record<string, string>): { ignored: string[]; printed: string } {
  const script = `
    const config = require('./jest.config.js');
    const e2e = config.projects.find((project) => project.displayName === 'e2e');
    const Reporter = require(config.reporters[1].replace('<rootDir>', '.'));
    const write = process.stdout.write.bind(process.stdout);
    let printed = '';
    process.stdout.write = (chunk) => { printed += chunk; return true; };
    new Reporter().onRunComplete();
    process.stdout.write = write;
    process.stdout.write(JSON.stringify({ ignored: e2e.testPathIgnorePatterns, printed }));
  `;
  const output = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
  });
  return JSON.parse(output.toString()) as { ignored: string[]; printed: string };
}

describe('Suites that need PostgreSQL or Redis', () => {
  it('are left out without them, and the run says which and why', () => {
    const alone = inEnvironment({});
    expect(alone.ignored).toHaveLength(4);
    for (const suite of [
      'database-outage',
      'multi-instance',
      'redis-outage',
      'invalidation-outage',
    ]) {
      expect(alone.printed).toContain(`test/${suite}.e2e-spec.ts: needs TEST_DATABASE_URL`);
    }
    expect(alone.printed).toMatch(/Not run here, 4 suite\(s\)/);

    const postgresOnly = inEnvironment({ TEST_DATABASE_URL: 'postgres://db/test' });
    expect(postgresOnly.ignored).toHaveLength(3);
    expect(postgresOnly.printed).not.toContain('database-outage');

    const everything = inEnvironment({
      TEST_DATABASE_URL: 'postgres://db/test',
      TEST_REDIS_URL: 'redis://redis',
    });
    expect(everything).toEqual({ ignored: [], printed: '' });
  });
});
