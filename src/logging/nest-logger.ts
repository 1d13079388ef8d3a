import { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/** Nest's Logger (`new Logger(Context).warn(...)`) writing through the app's pino logger. */
export class NestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    const stack = context === undefined ? undefined : stackOrContext;
    const err = message instanceof Error ? message : undefined;
    this.logger.error(
      { context: context ?? (stack === undefined ? stackOrContext : undefined), err, stack },
      err ? err.message : String(message),
    );
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
