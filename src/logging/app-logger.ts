import pino, { Logger } from 'pino';
import { AppConfig } from '@/config/app-config';

/**
 * The one pino logger of the process: Fastify logs requests with it and Nest's Logger writes
 * through it (NestLogger). JSON lines on stdout, buffered (a write per 4 kB, not per line) and
 * flushed at shutdown. Nothing logs headers or bodies, so neither the Authorization header nor a
 * password can reach a line (test/embedded.e2e-spec.ts scans a run's logs for them).
 */
export function createAppLogger(config: AppConfig): Logger {
  return pino(
    {
      level: config.logLevel,
    },
    pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  );
}
