import { Logger } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outboxTransport, smtpTransport } from '@/mail/mail-transport';
import { passwordResetMail, verifyEmailMail } from '@/mail/mail-templates';
import { DEFAULT_MAILER_OPTIONS, Mailer, MailerOptions, OutgoingMail } from '@/mail/mailer.service';
import { TestSmtpServer, linkToken } from './support/smtp-server';

const FROM = 'Latchkey Tests <no-reply@latchkey.test>';
const LINK = 'https://console.latchkey.test/reset-password?token=a-token-that-must-stay-secret';

function mail(to: string): OutgoingMail {
  return {
    to,
    kind: 'password-reset',
    reference: 'user-42',
    ...passwordResetMail({ link: LINK, minutesValid: 30 }),
  };
}

/** Everything Nest's loggers write while `run` runs. */
async function logsOf(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const spies = (['log', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
      lines.push(String(args[0]));
    }),
  );
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.join('\n');
}

describe('Mail: delivery off the request path, through a real SMTP server', () => {
  let smtp: TestSmtpServer;
  const mailers: Mailer[] = [];
  const options = (overrides: Partial<MailerOptions> = {}): MailerOptions => ({
    ...DEFAULT_MAILER_OPTIONS,
    from: FROM,
    retryDelaysMs: [20, 20, 20],
    shutdownGraceMs: 200,
    ...overrides,
  });
  const mailer = (overrides: Partial<MailerOptions> = {}) => {
    const created = new Mailer(smtpTransport(smtp.url), options(overrides));
    mailers.push(created);
    return created;
  };

  beforeAll(async () => {
    // The suite reads what the mailer logs through logsOf(); nothing else needs printing.
    Logger.overrideLogger(false);
    smtp = await TestSmtpServer.start();
  });
  beforeEach(() => {
    smtp.behaviour = 'accept';
  });
  afterEach(async () => {
    await Promise.all(mailers.splice(0).map((created) => created.onApplicationShutdown()));
  });
  afterAll(() => smtp.stop());

  it('delivers a readable mail, text and HTML, from MAIL_FROM to its recipient', async () => {
    const sender = mailer();
    sender.send(mail('ada@acme.test'));
    const received = await smtp.mailTo('ada@acme.test');
    expect(received).toMatchObject({
      from: 'no-reply@latchkey.test',
      subject: 'Reset your Latchkey password',
    });
    expect(linkToken(received)).toBe('a-token-that-must-stay-secret');
    expect(received.text).toContain('within 30 minutes');
    expect(received.html).toContain(`href="${LINK}"`);
    await sender.idle();
    expect(sender.stats()).toEqual({ sent: 1, failed: 0, retried: 0, queued: 0, dropped: 0 });
  });

  it('never makes the caller wait, even for a server that does not answer', () => {
    smtp.behaviour = 'hang';
    const sender = mailer();
    // send() returns nothing to wait for: the mail is held, not yet sent, when it returns.
    expect(sender.send(mail('grace@acme.test'))).toBeUndefined();
    expect(sender.stats()).toMatchObject({ queued: 1, sent: 0 });
  });

  it('tries a refused mail again, and delivers it once the server takes mail', async () => {
    smtp.behaviour = 'refuse';
    const sender = mailer({ retryDelaysMs: [100, 100, 100, 100] });
    sender.send(mail('kate@acme.test'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    smtp.behaviour = 'accept';
    await smtp.mailTo('kate@acme.test');
    await sender.idle();
    expect(sender.stats()).toMatchObject({ sent: 1, failed: 0, queued: 0 });
    expect(sender.stats().retried).toBeGreaterThanOrEqual(1);
  });

  it('gives up after its retries and says so in the log, without the address or the link', async () => {
    smtp.behaviour = 'refuse';
    const sender = mailer();
    const logs = await logsOf(async () => {
      sender.send(mail('linus@acme.test'));
      await sender.idle();
    });
    expect(sender.stats()).toEqual({ sent: 0, failed: 1, retried: 3, queued: 0, dropped: 0 });
    expect(logs).toMatch(/Gave up on a password-reset mail \(user-42\), attempt 4/);
    // The server quoted the recipient in its answer; the log line cut it out.
    expect(logs).toContain('<address>: Try again later');
    expect(logs).not.toContain('linus@acme.test');
    expect(logs).not.toContain('a-token-that-must-stay-secret');
    expect(smtp.mailsTo('linus@acme.test')).toEqual([]);
  });

  it('gives up at once on a permanent refusal (550), which a retry would not change', async () => {
    smtp.behaviour = 'reject';
    const sender = mailer();
    const logs = await logsOf(async () => {
      sender.send(mail('nobody-here@acme.test'));
      await sender.idle();
    });
    expect(sender.stats()).toMatchObject({ sent: 0, failed: 1, retried: 0 });
    expect(logs).toMatch(
      /Gave up on a password-reset mail \(user-42\), attempt 1: .*No such mailbox/,
    );
    expect(logs).not.toContain('nobody-here@acme.test');
  });

  it('refuses a mail for anything but one address, and sends nothing', async () => {
    const sender = mailer();
    sender.send(mail('ada@acme.test, eve@evil.test'));
    sender.send(mail('ada@acme.test\r\nBcc: eve@evil.test'));
    await sender.idle();
    expect(sender.stats()).toMatchObject({ sent: 0, failed: 2, queued: 0 });
    expect(smtp.mailsTo('eve@evil.test')).toEqual([]);
  });

  it('holds a bounded number of mails and counts those it drops', () => {
    smtp.behaviour = 'hang';
    const sender = mailer({ maxQueued: 3, concurrency: 1 });
    for (let i = 0; i < 5; i++) sender.send(mail(`queue-${i}@acme.test`));
    expect(sender.stats()).toMatchObject({ queued: 3, dropped: 2 });
  });

  it('writes each mail as a .eml file only the service can read, when there is no SMTP server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-outbox-'));
    const outbox = join(dataDir, 'outbox');
    const sender = new Mailer(outboxTransport(outbox), options());
    mailers.push(sender);
    sender.send(mail('ada@acme.test'));
    sender.send(mail('grace@acme.test'));
    await sender.idle();
    expect(statSync(outbox).mode & 0o777).toBe(0o700);
    const files = readdirSync(outbox).sort();
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file).toMatch(/^\d{4}-\d\d-\d\dT.*\.eml$/);
      expect(statSync(join(outbox, file)).mode & 0o777).toBe(0o600);
    }
    const parsed = await simpleParser(readFileSync(join(outbox, files[0])));
    expect(parsed.subject).toBe('Reset your Latchkey password');
    expect(parsed.text).toContain(LINK);
  });

  it('escapes what it is given in the HTML version', () => {
    const content = verifyEmailMail({
      link: 'https://console.latchkey.test/verify-email?token=a&b=<c>',
      tenantName: '<script>alert(1)</script>',
      recipientName: 'Ada "Countess" Lovelace',
    });
    expect(content.html).not.toContain('<script>');
    expect(content.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(content.html).toContain(
      'href="https://console.latchkey.test/verify-email?token=a&amp;b=&lt;c&gt;"',
    );
    expect(content.text).toContain('<script>alert(1)</script>');
  });
});
