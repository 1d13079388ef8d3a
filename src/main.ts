import 'reflect-metadata';
import { createApp } from './app.setup';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';
import { createAppLogger } from './logging/app-logger';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = createAppLogger(config);
  const app = await createApp(config, logger);
  // On SIGTERM/SIGINT: stop accepting, finish in-flight requests, run every shutdown hook
  // (flushes, pool, embedded database), then exit 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => logger.flush(() => process.exit(0)),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
  await app.listen(config.port, config.host);
}

bootstrap().catch((error: unknown) => {
  // Configuration errors name the variable; anything else is a start-up failure worth its stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
