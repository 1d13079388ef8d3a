import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { createApp } from '@/app.setup';
import { loadConfig } from '@/config/load-config';
import { AppConfig } from '@/config/app-config';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';

/** Where the suites' apps keep files (the mail outbox): never the project's own ./data. */
const TEST_DATA_DIR = mkdtempSync(join(tmpdir(), 'latchkey-test-'));

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: () => TestAgent;
  close: () => Promise<void>;
}

/**
 * The configuration the suites run with: the run's database, quiet logs, a known secret. Every
 * suite signs up from 127.0.0.1, so the per-IP limit is lifted here; the rate-limit suites set
 * their own.
 */
export function testEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE,
    REDIS_URL: process.env.TEST_REDIS_URL,
    JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: TEST_DATA_DIR,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    UNAUTHENTICATED_RPM: '1000000',
    ...overrides,
  };
}

/** Boots the real application, as main.ts does, on the run's database. */
export async function startApp(
  overrides: Record<string, string | undefined> = {},
): Promise<TestApp> {
  const config = loadConfig(testEnv(overrides));
  const app = await createApp(config);
  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    close: () => app.close(),
  };
}
