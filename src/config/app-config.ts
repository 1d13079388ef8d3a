export type NodeEnvironment = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The validated, typed configuration. Nothing outside src/config reads process.env. */
export class AppConfig {
  nodeEnv: NodeEnvironment;
  port: number;
  host: string;
  /** Unset: the embedded PostgreSQL (PGlite) in dataDir serves the app. */
  databaseUrl?: string;
  /** Connections per instance to DATABASE_URL; the embedded database always uses one. */
  databasePoolSize: number;
  dataDir: string;
  redisUrl?: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** How long a session lasts from its login, refreshes included. */
  sessionTtlSeconds: number;
  oidcIssuer?: string;
  oidcAudience?: string;
  oidcJwksUri?: string;
  apiKeyPrefix: string;
  /** HMAC key for API-key digests; unset: plain SHA-256. Changing it invalidates every key. */
  apiKeyPepper?: string;
  operatorToken?: string;
  planStandardRpm: number;
  planEnterpriseRpm: number;
  planStandardMaxKeys: number;
  unauthenticatedRpm: number;
  /** argon2 hashes and verifications run at once: one per CPU by default. */
  passwordHashConcurrency: number;
  /** How many more may wait for their turn; beyond, 503 with Retry-After at once. */
  passwordHashQueueSize: number;
  logLevel: LogLevel;
  bodyLimitBytes: number;
  /** Which X-Forwarded-For hops to believe: false, true, a hop count, or proxy addresses. */
  trustProxy: boolean | number | string;
  /** Browser origins allowed to call the API: none (unset), a list, or any ('*'). */
  corsOrigins: readonly string[] | '*';
  /** Where mail goes (nodemailer's SMTP URL); unset: `.eml` files in DATA_DIR/outbox. */
  smtpUrl?: string;
  /** The sender of every mail: `Latchkey <no-reply@example.com>`. */
  mailFrom: string;
  /** Invitation mails a tenant may send in 24 hours. */
  invitationsPerTenantPerDay: number;
  /** Where people open Latchkey's pages (links in mails), without a trailing slash. */
  publicUrl: string;
}
