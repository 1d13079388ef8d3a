import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';

const SECRET = 'a-jwt-secret-that-is-at-least-32-characters';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      port: 3000,
      jwtTtlSeconds: 900,
      sessionTtlSeconds: 2_592_000,
      apiKeyPrefix: 'prv',
      planStandardRpm: 100,
      planEnterpriseRpm: 1000,
      planStandardMaxKeys: 5,
      unauthenticatedRpm: 60,
      passwordHashConcurrency: availableParallelism(),
      passwordHashQueueSize: 8 * availableParallelism(),
      logLevel: 'info',
      databaseUrl: undefined,
      redisUrl: undefined,
      smtpUrl: undefined,
      mailFrom: 'Latchkey <no-reply@localhost>',
      publicUrl: 'http://localhost:3000',
    });
  });

  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between 0 and 65535/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['SESSION_TTL_SECONDS', '10', /SESSION_TTL_SECONDS must be between 60 and/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must use postgres: or postgresql:/],
    ['REDIS_URL', 'not a url', /REDIS_URL must be a URL/],
    ['API_KEY_PREFIX', 'Bad_Prefix', /API_KEY_PREFIX must be/],
    ['JWT_SECRET', 'short', /JWT_SECRET must be at least 32 characters/],
    ['OPERATOR_TOKEN', 'short', /OPERATOR_TOKEN must be at least 32 characters/],
    ['OIDC_ISSUER', 'https://issuer.test', /OIDC_ISSUER and OIDC_AUDIENCE must be set together/],
    ['OIDC_JWKS_URI', 'https://issuer.test/keys', /OIDC_JWKS_URI needs OIDC_ISSUER/],
    ['PASSWORD_HASH_CONCURRENCY', '0', /PASSWORD_HASH_CONCURRENCY must be between 1 and 1024/],
    ['PASSWORD_HASH_CONCURRENCY', 'all', /PASSWORD_HASH_CONCURRENCY must be a whole number/],
    ['PASSWORD_HASH_QUEUE_SIZE', '-1', /PASSWORD_HASH_QUEUE_SIZE must be a whole number/],
    ['PASSWORD_HASH_QUEUE_SIZE', '100001', /PASSWORD_HASH_QUEUE_SIZE must be between 0 and/],
    ['TRUST_PROXY', 'yes', /TRUST_PROXY must be true, false, a hop count or addresses/],
    ['TRUST_PROXY', '10.0.0.0/8,proxy', /TRUST_PROXY must be true, false, a hop count or/],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY must be true, false, a hop count or/],
    ['CORS_ORIGINS', 'app.example.com', /CORS_ORIGINS must be \* or a comma-separated list/],
    ['CORS_ORIGINS', 'https://app.example.com/path', /CORS_ORIGINS must be/],
    ['CORS_ORIGINS', 'https://a.example.com,*', /CORS_ORIGINS must be/],
    ['CORS_ORIGINS', 'ftp://files.example.com', /CORS_ORIGINS must be/],
    ['SMTP_URL', 'http://mail.example.com', /SMTP_URL must use smtp: or smtps:/],
    ['MAIL_FROM', 'not an address', /MAIL_FROM must be an address/],
    ['MAIL_FROM', 'Latchkey <no-reply>', /MAIL_FROM must be an address/],
    ['PUBLIC_URL', 'app.example.com', /PUBLIC_URL must be a URL/],
  ])('stops on a bad %s, naming it', (name, value, message) => {
    expect(() => loadConfig({ JWT_SECRET: SECRET, [name]: value })).toThrow(message);
  });

  it.each([
    ['https://tenant.eu.auth0.com/', 'https://tenant.eu.auth0.com/.well-known/jwks.json'],
    [
      'https://login.example.com/realms/a',
      'https://login.example.com/realms/a/.well-known/jwks.json',
    ],
  ])('finds the JWKS of issuer %s at %s unless OIDC_JWKS_URI says otherwise', (issuer, jwks) => {
    const env = { JWT_SECRET: SECRET, OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'https://api' };
    expect(loadConfig(env).oidcJwksUri).toBe(jwks);
    expect(loadConfig({ ...env, OIDC_JWKS_URI: 'https://keys.test/jwks' }).oidcJwksUri).toBe(
      'https://keys.test/jwks',
    );
  });

  it('requires https for the OIDC issuer and its keys in production, except on loopback', () => {
    const env = { JWT_SECRET: SECRET, NODE_ENV: 'production', OIDC_AUDIENCE: 'https://api' };
    expect(() => loadConfig({ ...env, OIDC_ISSUER: 'http://issuer.test/' })).toThrow(
      /OIDC_ISSUER must use https: in production/,
    );
    expect(() =>
      loadConfig({
        ...env,
        OIDC_ISSUER: 'https://issuer.test/',
        OIDC_JWKS_URI: 'http://keys.test/jwks.json',
      }),
    ).toThrow(/OIDC_JWKS_URI must use https: in production/);
    expect(loadConfig({ ...env, OIDC_ISSUER: 'http://127.0.0.1:8080' }).oidcIssuer).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1,::1,loopback', '10.0.0.0/8,127.0.0.1,::1,loopback'],
  ])('reads TRUST_PROXY=%s as %p', (value, expected) => {
    expect(loadConfig({ JWT_SECRET: SECRET, TRUST_PROXY: value }).trustProxy).toBe(expected);
  });

  it.each([
    [undefined, []],
    ['*', '*'],
    [
      'https://app.example.com, http://localhost:5173/',
      ['https://app.example.com', 'http://localhost:5173'],
    ],
  ])('reads CORS_ORIGINS=%s as %p', (value, expected) => {
    expect(loadConfig({ JWT_SECRET: SECRET, CORS_ORIGINS: value }).corsOrigins).toEqual(expected);
  });

  it('sizes the hashing queue from its concurrency unless told otherwise', () => {
    const env = { JWT_SECRET: SECRET, PASSWORD_HASH_CONCURRENCY: '3' };
    expect(loadConfig(env)).toMatchObject({
      passwordHashConcurrency: 3,
      passwordHashQueueSize: 24,
    });
    expect(loadConfig({ ...env, PASSWORD_HASH_QUEUE_SIZE: '0' }).passwordHashQueueSize).toBe(0);
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

  it('reads the mail settings: SMTP_URL, MAIL_FROM, and PUBLIC_URL without a trailing slash', () => {
    const config = loadConfig({
      JWT_SECRET: SECRET,
      PORT: '8080',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      MAIL_FROM: 'Acme Keys <keys@acme.example>',
      PUBLIC_URL: 'https://console.acme.example/',
    });
    expect(config).toMatchObject({
      smtpUrl: 'smtps://user:pass@mail.example.com:465',
      mailFrom: 'Acme Keys <keys@acme.example>',
      publicUrl: 'https://console.acme.example',
    });
    expect(loadConfig({ JWT_SECRET: SECRET, PORT: '8080' }).publicUrl).toBe(
      'http://localhost:8080',
    );
  });

  it('wants an https PUBLIC_URL in production once mail is really sent', () => {
    const env = { JWT_SECRET: SECRET, NODE_ENV: 'production', SMTP_URL: 'smtp://mail.example.com' };
    expect(() => loadConfig(env)).toThrow(/PUBLIC_URL is required in production/);
    expect(() => loadConfig({ ...env, PUBLIC_URL: 'http://console.example.com' })).toThrow(
      /PUBLIC_URL must use https: in production/,
    );
    expect(loadConfig({ ...env, PUBLIC_URL: 'https://console.example.com' }).publicUrl).toBe(
      'https://console.example.com',
    );
  });
});
