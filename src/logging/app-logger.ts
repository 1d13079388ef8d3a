import pino, { Logger } from 'pino';
import { AppConfig } from '@/config/app-config';

/**
 * The one pino logger of the process: Fastify logs requests with it and Nest's Logger writes
 * through it (NestLogger). JSON lines on stdout, buffered (a write per 4 kB, not per line) and
 * flushed at shutdown. Nothing logs headers or bodies, so neither the Authorization header nor a
 * password can reach a line (test/embedded.e2e-spec.ts scans a run's logs for them).
 */
export function createAppLogger(config: AppConfig): Logger {
  const logger = pino(
    {
      level: config.logLevel,
      // Node attaches the raw bytes of a malformed request to its parse error (`rawPacket`):
      // headers included, so never logged.
      serializers: { err: withoutRawPacket },
    },
    pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  );
  // A quiet instance's lines are not held back for long.
  setInterval(() => logger.flush(), FLUSH_INTERVAL_MS).unref();
  return logger;
}

const FLUSH_INTERVAL_MS = 1_000;

export function withoutRawPacket(error: Error): Record<string, unknown> {
  const serialized = { ...pino.stdSerializers.err(error) } as Record<string, unknown>;
  delete serialized.rawPacket;
  return serialized;
}
