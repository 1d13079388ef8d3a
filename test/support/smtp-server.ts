import { simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The sender's address. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * What the server answers to each message: take it, refuse it for now (451, quoting the
 * recipient as real servers do), refuse it for good (550), or never answer.
 */
export type Behaviour = 'accept' | 'refuse' | 'reject' | 'hang';

/**
 * A real SMTP server in the test process (the `smtp-server` package, no TLS, no auth), that
 * parses each message it accepts with `mailparser` and keeps it. It can refuse mail (451, a
 * temporary failure) or hang without answering, to show what Latchkey does then.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  behaviour: Behaviour = 'accept';
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
  ) {}

  static async start(): Promise<TestSmtpServer> {
    const holder: { self?: TestSmtpServer } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // stop() cuts connections left hanging at once rather than after 30 s.
      closeTimeout: 100,
      onData(stream, session, callback) {
        const behaviour = holder.self?.behaviour;
        if (behaviour === 'hang') return; // never answers: the client's timeout decides
        if (behaviour === 'refuse' || behaviour === 'reject') {
          const recipient = session.envelope.rcptTo[0]?.address ?? '';
          const [code, text] =
            behaviour === 'refuse' ? [451, 'Try again later'] : [550, 'No such mailbox'];
          stream.resume();
          stream.on('end', () =>
            callback(Object.assign(new Error(`<${recipient}>: ${text}`), { responseCode: code })),
          );
          return;
        }
        simpleParser(stream).then(
          (parsed) => {
            const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
            holder.self!.keep({
              from: parsed.from?.value[0]?.address ?? '',
              to: to?.value[0]?.address ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
    holder.self = new TestSmtpServer(server, `smtp://127.0.0.1:${port}`);
    return holder.self;
  }

  /** The first mail to `to` (and matching `subject`, if given), waiting up to `timeoutMs`. */
  async mailTo(to: string, subject?: RegExp, timeoutMs = 10_000): Promise<ReceivedMail> {
    const find = () =>
      this.received.find(
        (mail) => mail.to === to.toLowerCase() && (!subject || subject.test(mail.subject)),
      );
    const deadline = Date.now() + timeoutMs;
    for (let found = find(); ; found = find()) {
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every mail received to `to`, now. */
  mailsTo(to: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to === to.toLowerCase());
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private keep(mail: ReceivedMail): void {
    this.received.push(mail);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** The `token` of the first link in a mail's text (verification, invitation, reset). */
export function linkToken(mail: ReceivedMail): string {
  const link = /https?:\/\/\S+[?&]token=([^\s&]+)/.exec(mail.text);
  if (!link) throw new Error(`no link with a token in: ${mail.text}`);
  return decodeURIComponent(link[1]);
}

/** The path of the first link in a mail's text. */
export function linkPath(mail: ReceivedMail): string {
  const link = /(https?:\/\/\S+)/.exec(mail.text);
  if (!link) throw new Error(`no link in: ${mail.text}`);
  return new URL(link[1]).pathname;
}
