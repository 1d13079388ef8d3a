import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';

const SECRET = 'a-jwt-secret-that-is-at-least-32-characters';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      port: 3000,
      jwtTtlSeconds: 900,
      apiKeyPrefix: 'prv',
      planStandardRpm: 100,
      planEnterpriseRpm: 1000,
      planStandardMaxKeys: 5,
      unauthenticatedRpm: 60,
      logLevel: 'info',
      databaseUrl: undefined,
      redisUrl: undefined,
    });
  });

  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between 0 and 65535/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must use postgres: or postgresql:/],
    ['REDIS_URL', 'not a url', /REDIS_URL must be a URL/],
    ['API_KEY_PREFIX', 'Bad_Prefix', /API_KEY_PREFIX must be/],
    ['JWT_SECRET', 'short', /JWT_SECRET must be at least 32 characters/],
    ['OPERATOR_TOKEN', 'short', /OPERATOR_TOKEN must be at least 32 characters/],
    ['OIDC_ISSUER', 'https://issuer.test', /OIDC_ISSUER and OIDC_AUDIENCE must be set together/],
  ])('stops on a bad %s, naming it', (name, value, message) => {
    expect(() => loadConfig({ JWT_SECRET: SECRET, [name]: value })).toThrow(message);
  });

  it('requires JWT_SECRET with an external database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/latchkey' })).toThrow(
      'Invalid configuration: JWT_SECRET is required when DATABASE_URL is set',
    );
  });

  it('generates a JWT secret once for the embedded run and keeps it in DATA_DIR', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-config-'));
    const first = loadConfig({ DATA_DIR: dataDir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(first);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8')).toBe(first);
  });
});
