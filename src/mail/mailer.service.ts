import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { failureReason, isPermanent, isSingleAddress } from './log-safe';
import { MailTransport } from './mail-transport';

/** What a mail is for: named in logs and counters instead of anything personal. */
export type MailKind = 'verify-email' | 'invitation' | 'password-reset' | 'login-lockout';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  kind: MailKind;
  /** An id safe to log (the user's): never the address, a token or a link. */
  reference?: string;
}

export interface MailStats {
  sent: number;
  /** Given up on after every attempt. */
  failed: number;
  /** Attempts that failed and were tried again later. */
  retried: number;
  /** Waiting to be sent, being sent, or waiting for their next attempt. */
  queued: number;
  /** Refused because the queue was full. */
  dropped: number;
}

export interface MailerOptions {
  from: string;
  /** The wait before each retry; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  /** Mails held at most; beyond, new ones are dropped (and counted). */
  maxQueued: number;
  /** Deliveries at once. */
  concurrency: number;
  /** How long shutdown waits for the mails in hand. */
  shutdownGraceMs: number;
}

export const DEFAULT_MAILER_OPTIONS: Omit<MailerOptions, 'from'> = {
  retryDelaysMs: [1_000, 4_000, 16_000, 60_000, 240_000],
  maxQueued: 10_000,
  concurrency: 2,
  shutdownGraceMs: 5_000,
};

interface Pending {
  mail: OutgoingMail;
  attempts: number;
}

/**
 * Outgoing mail, off the request path: send() queues and returns at once, so neither a slow nor
 * a failing mail server delays or fails the request that caused the mail. Delivery is retried
 * with growing delays, then given up on and logged. Logs name the mail's kind and reference
 * only: never the address, the subject, the body or a link (they carry single-use tokens).
 * Mails in memory are lost if the process is killed; the people waiting for them can ask again.
 */
export class Mailer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(Mailer.name);
  private readonly ready: Pending[] = [];
  private readonly retrying = new Map<NodeJS.Timeout, Pending>();
  private delivering = 0;
  private readonly counts = { sent: 0, failed: 0, retried: 0, dropped: 0 };
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly transport: MailTransport,
    private readonly options: MailerOptions,
    private readonly warnIfNotSent = false,
  ) {}

  onModuleInit(): void {
    this.logger.log(`Mail goes to ${this.transport.description}`);
    if (this.warnIfNotSent) {
      this.logger.warn(
        `SMTP_URL is not set: mail is written to ${this.transport.description}, not sent`,
      );
    }
  }

  send(mail: OutgoingMail): void {
    if (!isSingleAddress(mail.to)) {
      this.counts.failed++;
      this.logger.error(`Refused a ${mail.kind} mail (${mail.reference ?? '-'}): not one address`);
      return;
    }
    if (this.held() >= this.options.maxQueued) {
      this.counts.dropped++;
      this.logger.warn(`Mail queue full: dropped a ${mail.kind} mail (${mail.reference ?? '-'})`);
      return;
    }
    this.ready.push({ mail, attempts: 0 });
    this.pump();
  }

  stats(): MailStats {
    return { ...this.counts, queued: this.held() };
  }

  /** Resolves once nothing is held: sent or given up on. */
  idle(): Promise<void> {
    if (this.held() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async onApplicationShutdown(): Promise<void> {
    const inHand = this.ready.length + this.delivering;
    if (inHand > 0) {
      let timer: NodeJS.Timeout | undefined;
      const drained = new Promise<void>((resolve) => {
        const check = () => (this.ready.length + this.delivering === 0 ? resolve() : undefined);
        this.idleWaiters.push(resolve);
        timer = setInterval(check, 50);
      });
      const late = new Promise((resolve) => setTimeout(resolve, this.options.shutdownGraceMs));
      await Promise.race([drained, late]);
      clearInterval(timer);
    }
    for (const timer of this.retrying.keys()) clearTimeout(timer);
    const lost = this.held();
    if (lost > 0) this.logger.warn(`${lost} mail(s) not delivered at shutdown`);
    this.transport.close();
  }

  private held(): number {
    return this.ready.length + this.delivering + this.retrying.size;
  }

  private pump(): void {
    while (this.delivering < this.options.concurrency && this.ready.length > 0) {
      const pending = this.ready.shift()!;
      this.delivering++;
      void this.deliver(pending).finally(() => {
        this.delivering--;
        this.pump();
        this.notifyIfIdle();
      });
    }
  }

  private async deliver(pending: Pending): Promise<void> {
    const { mail } = pending;
    pending.attempts++;
    try {
      await this.transport.deliver({
        from: this.options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // RFC 3834: keeps out-of-office replies and other auto-responders away from no-reply.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      this.counts.sent++;
    } catch (error) {
      const delay = this.options.retryDelaysMs[pending.attempts - 1];
      const what = `${mail.kind} mail (${mail.reference ?? '-'}), attempt ${pending.attempts}`;
      const why = failureReason(error);
      if (delay === undefined || isPermanent(error)) {
        this.counts.failed++;
        this.logger.error(`Gave up on a ${what}: ${why}`);
        return;
      }
      this.counts.retried++;
      this.logger.warn(`Could not deliver a ${what}, retrying in ${delay} ms: ${why}`);
      const timer = setTimeout(() => {
        this.retrying.delete(timer);
        this.ready.push(pending);
        this.pump();
      }, delay);
      timer.unref();
      this.retrying.set(timer, pending);
    }
  }

  private notifyIfIdle(): void {
    if (this.held() > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
