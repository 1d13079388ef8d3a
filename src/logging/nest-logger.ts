import { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

function describe(message: unknown): string {
  if (typeof message === 'string') return message;
  try {
    return JSON.stringify(message) ?? String(message);
  } catch {
    return String(message);
  }
}

/** Nest's Logger (`new Logger(Context).warn(...)`) writing through the app's pino logger. */
export class NestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  /** Nest calls error(message, stack?, context?) and error(message, context?). */
  error(message: unknown, stackOrContext?: unknown, context?: string): void {
    const err = message instanceof Error ? message : undefined;
    const stack =
      context !== undefined && typeof stackOrContext === 'string' ? stackOrContext : undefined;
    const where = context ?? (typeof stackOrContext === 'string' ? stackOrContext : undefined);
    this.logger.error({ context: where, err, stack }, err ? err.message : describe(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }

  fatal(message: unknown, context?: string): void {
    this.logger.fatal({ context }, String(message));
  }
}
