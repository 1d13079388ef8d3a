import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { SendMailOptions, Transporter, TransportOptions } from 'nodemailer';

/** Where a mail goes once composed: an SMTP server, or a folder of `.eml` files. */
export interface MailTransport {
  /** Resolves once the mail is accepted (by the server, or on disk); rejects otherwise. */
  deliver(message: SendMailOptions): Promise<void>;
  close(): void;
  /** For the start-up log: where mail goes, without credentials. */
  readonly description: string;
}

/**
 * What every transport tells nodemailer: one recipient per mail, no content fetched from files
 * or URLs, and no log of its own (it would write addresses).
 */
const SAFE: TransportOptions = {
  logger: false,
  maxRecipients: 1,
  disableFileAccess: true,
  disableUrlAccess: true,
};

/** Pooled SMTP; a server that hangs costs a delivery at most these timeouts, never a request. */
export function smtpTransport(url: string): MailTransport {
  const transporter: Transporter = nodemailer.createTransport({
    ...SAFE,
    url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  const { protocol, host } = new URL(url);
  return {
    deliver: async (message) => {
      await transporter.sendMail(message);
    },
    close: () => transporter.close(),
    description: `SMTP at ${protocol}//${host}`,
  };
}

/**
 * Without an SMTP server, each mail becomes an RFC 822 file in `dir` (readable by the service's
 * user only: the links in it are single-use secrets), named so that they sort by time.
 */
export function outboxTransport(dir: string): MailTransport {
  const composer: Transporter = nodemailer.createTransport({
    ...SAFE,
    streamTransport: true,
    buffer: true,
  });
  return {
    deliver: async (message) => {
      const { message: raw } = (await composer.sendMail(message)) as { message: Buffer };
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      await writeFile(join(dir, name), raw, { mode: 0o600, flag: 'wx' });
    },
    close: () => composer.close(),
    description: `the outbox folder ${dir}`,
  };
}
