import { Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '@/config/app-config';
import { outboxTransport, smtpTransport } from './mail-transport';
import { DEFAULT_MAILER_OPTIONS, Mailer } from './mailer.service';

/** Outgoing mail: SMTP_URL, or `.eml` files in DATA_DIR/outbox when it is unset. */
@Global()
@Module({
  providers: [
    {
      provide: Mailer,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new Mailer(
          config.smtpUrl
            ? smtpTransport(config.smtpUrl)
            : outboxTransport(join(config.dataDir, 'outbox')),
          { ...DEFAULT_MAILER_OPTIONS, from: config.mailFrom },
          config.smtpUrl === undefined && config.nodeEnv === 'production',
        ),
    },
  ],
  exports: [Mailer],
})
export class MailModule {}
