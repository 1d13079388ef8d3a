import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { AppConfig, LogLevel, NodeEnvironment } from './app-config';
import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
const NODE_ENVS: readonly NodeEnvironment[] = ['development', 'production', 'test'];
const MIN_SECRET_LENGTH = 32;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  }
  return raw;
}

/** proxy-addr's names for address ranges. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return (
    bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128))
  );
}

/** Fastify's trustProxy: off, everything, a hop count, or the proxies' addresses/CIDRs. */
function trustProxy(env: Env): boolean | number | string {
  const raw = read(env, 'TRUST_PROXY');
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  if (!entries.every((entry) => PROXY_NAMES.includes(entry) || isAddressOrCidr(entry))) {
    throw new ConfigError(
      'TRUST_PROXY',
      'must be true, false, a hop count or addresses/CIDRs (comma-separated)',
    );
  }
  return entries.join(',');
}

function isSecureOrLoopback(value: string): boolean {
  const { protocol, hostname } = new URL(value);
  return protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

/** `<issuer>/.well-known/jwks.json`, as Auth0 and most OIDC providers publish it. */
function defaultJwksUri(issuer: string): string {
  return new URL('.well-known/jwks.json', issuer.endsWith('/') ? issuer : `${issuer}/`).toString();
}

/**
 * In the embedded run a signing secret is generated once and kept beside the data, so tokens
 * survive restarts; with an external database the operator must provide one.
 */
function jwtSecret(env: Env, databaseUrl: string | undefined, dataDir: string): string {
  const configured = read(env, 'JWT_SECRET');
  if (configured !== undefined) {
    if (configured.length < MIN_SECRET_LENGTH) {
      throw new ConfigError('JWT_SECRET', `must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    return configured;
  }
  if (databaseUrl !== undefined) {
    throw new ConfigError('JWT_SECRET', 'is required when DATABASE_URL is set');
  }
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const config = new AppConfig();
  config.nodeEnv = oneOf(env, 'NODE_ENV', NODE_ENVS, 'development');
  config.port = integer(env, 'PORT', 3000, 0, 65535);
  config.host = read(env, 'HOST') ?? '0.0.0.0';
  config.databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  config.databasePoolSize = integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200);
  config.dataDir = resolve(read(env, 'DATA_DIR') ?? 'data');
  config.redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  config.jwtSecret = jwtSecret(env, config.databaseUrl, config.dataDir);
  config.jwtTtlSeconds = integer(env, 'JWT_TTL_SECONDS', 900, 30, 86_400);
  config.sessionTtlSeconds = integer(env, 'SESSION_TTL_SECONDS', 30 * 86_400, 60, 366 * 86_400);
  config.oidcIssuer = url(env, 'OIDC_ISSUER', ['https:', 'http:']);
  config.oidcAudience = read(env, 'OIDC_AUDIENCE');
  config.oidcJwksUri = url(env, 'OIDC_JWKS_URI', ['https:', 'http:']);
  if ((config.oidcIssuer === undefined) !== (config.oidcAudience === undefined)) {
    throw new ConfigError('OIDC_ISSUER', 'and OIDC_AUDIENCE must be set together');
  }
  if (config.oidcJwksUri !== undefined && config.oidcIssuer === undefined) {
    throw new ConfigError('OIDC_JWKS_URI', 'needs OIDC_ISSUER and OIDC_AUDIENCE');
  }
  if (config.oidcIssuer !== undefined) config.oidcJwksUri ??= defaultJwksUri(config.oidcIssuer);
  if (config.nodeEnv === 'production') {
    for (const [name, value] of [
      ['OIDC_ISSUER', config.oidcIssuer],
      ['OIDC_JWKS_URI', config.oidcJwksUri],
    ] as const) {
      if (value !== undefined && !isSecureOrLoopback(value)) {
        throw new ConfigError(
          name,
          'must use https: in production (keys fetched over http can be swapped)',
        );
      }
    }
  }
  config.apiKeyPrefix = read(env, 'API_KEY_PREFIX') ?? 'prv';
  if (!/^[a-z][a-z0-9]{1,15}$/.test(config.apiKeyPrefix)) {
    throw new ConfigError('API_KEY_PREFIX', 'must be 2-16 lowercase letters or digits');
  }
  config.apiKeyPepper = read(env, 'API_KEY_PEPPER');
  if (config.apiKeyPepper !== undefined && config.apiKeyPepper.length < MIN_SECRET_LENGTH) {
    throw new ConfigError('API_KEY_PEPPER', `must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  config.operatorToken = read(env, 'OPERATOR_TOKEN');
  if (config.operatorToken !== undefined && config.operatorToken.length < MIN_SECRET_LENGTH) {
    throw new ConfigError('OPERATOR_TOKEN', `must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  config.planStandardRpm = integer(env, 'PLAN_STANDARD_RPM', 100, 1, 1_000_000);
  config.planEnterpriseRpm = integer(env, 'PLAN_ENTERPRISE_RPM', 1000, 1, 1_000_000);
  config.planStandardMaxKeys = integer(env, 'PLAN_STANDARD_MAX_KEYS', 5, 1, 10_000);
  config.unauthenticatedRpm = integer(env, 'UNAUTHENTICATED_RPM', 60, 1, 1_000_000);
  config.passwordHashConcurrency = integer(
    env,
    'PASSWORD_HASH_CONCURRENCY',
    availableParallelism(),
    1,
    1024,
  );
  config.passwordHashQueueSize = integer(
    env,
    'PASSWORD_HASH_QUEUE_SIZE',
    8 * config.passwordHashConcurrency,
    0,
    100_000,
  );
  config.logLevel = oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info');
  config.bodyLimitBytes = integer(env, 'BODY_LIMIT_BYTES', 100 * 1024, 1024, 10 * 1024 * 1024);
  config.trustProxy = trustProxy(env);
  config.corsOrigins = corsOrigins(env);
  config.smtpUrl = url(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  config.mailFrom = mailFrom(env);
  config.invitationsPerTenantPerDay = integer(
    env,
    'INVITATIONS_PER_TENANT_PER_DAY',
    200,
    1,
    1_000_000,
  );
  const publicUrl = url(env, 'PUBLIC_URL', ['https:', 'http:']);
  // Mailed links carry single-use tokens: in production they go to a real address, over https.
  if (config.nodeEnv === 'production' && config.smtpUrl !== undefined) {
    if (publicUrl === undefined) {
      throw new ConfigError('PUBLIC_URL', 'is required in production when SMTP_URL is set');
    }
    if (!isSecureOrLoopback(publicUrl)) {
      throw new ConfigError('PUBLIC_URL', 'must use https: in production (links carry tokens)');
    }
  }
  config.publicUrl = (publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
  return config;
}

/** `Name <address>` or a bare address; nothing that could smuggle another header in. */
function mailFrom(env: Env): string {
  const raw = read(env, 'MAIL_FROM') ?? 'Latchkey <no-reply@localhost>';
  const address = /<([^<>\s]+)>$/.exec(raw)?.[1] ?? raw;
  if (/[\r\n]/.test(raw) || !/^[^@\s<>]+@[^@\s<>]+$/.test(address)) {
    throw new ConfigError('MAIL_FROM', `must be an address or "Name <address>", got "${raw}"`);
  }
  return raw;
}

/**
 * CORS_ORIGINS: unset, no cross-origin browser calls; `*`, any origin (credentials travel in
 * the Authorization header, never in cookies, so this exposes nothing a script could not send
 * itself); or a comma-separated list of exact origins, `https://app.example.com`.
 */
function corsOrigins(env: Env): readonly string[] | '*' {
  const raw = read(env, 'CORS_ORIGINS');
  if (raw === undefined) return [];
  if (raw === '*') return '*';
  return raw.split(',').map((entry) => {
    const origin = entry.trim();
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (
      !parsed ||
      !['https:', 'http:'].includes(parsed.protocol) ||
      parsed.origin !== origin.replace(/\/$/, '')
    ) {
      throw new ConfigError(
        'CORS_ORIGINS',
        `must be * or a comma-separated list of origins like https://app.example.com, got "${origin}"`,
      );
    }
    return parsed.origin;
  });
}
