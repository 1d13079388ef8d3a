/** A composed mail: the subject, a plain-text body that reads well alone, and the same in HTML. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/**
 * One short message: paragraphs, then a button with its link, then small print. The text
 * version carries the link in full; the HTML one escapes every value put into it.
 */
function compose(
  subject: string,
  body: { paragraphs: string[]; action?: { label: string; link: string }; footer: string[] },
): MailContent {
  const { paragraphs, action, footer } = body;
  const text = [
    ...paragraphs,
    ...(action ? [`${action.label}:\n${action.link}`] : []),
    ...footer,
    '— Latchkey',
  ].join('\n\n');
  const p = (value: string, style = '') =>
    `<p style="margin:0 0 16px${style}">${escapeHtml(value)}</p>`;
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.link)}" style="background:#1f4fd1;` +
      `color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">` +
      `${escapeHtml(action.label)}</a></p>` +
      p(`Or paste this address into your browser: ${action.link}`, ';font-size:13px;color:#555')
    : '';
  const html =
    `<!doctype html><html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,` +
    `sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a;max-width:560px;margin:0 auto;` +
    `padding:24px">${paragraphs.map((paragraph) => p(paragraph)).join('')}${button}` +
    footer.map((line) => p(line, ';font-size:13px;color:#555')).join('') +
    `${p('— Latchkey', ';color:#555')}</body></html>`;
  return { subject, text, html };
}

export function verifyEmailMail(input: {
  link: string;
  tenantName?: string;
  recipientName?: string;
}): MailContent {
  const greeting = input.recipientName ? `Hello ${input.recipientName},` : 'Hello,';
  const where = input.tenantName ? ` for ${input.tenantName}` : '';
  return compose('Verify your email address', {
    paragraphs: [greeting, `Please confirm that this is your email address${where} on Latchkey.`],
    action: { label: 'Verify my email', link: input.link },
    footer: [
      'The link works once, within 24 hours.',
      'If you did not sign up, ignore this mail: the account stays unverified, and nothing ' +
        'else happens.',
    ],
  });
}

export function invitationMail(input: {
  link: string;
  tenantName: string;
  inviterName?: string;
  role: string;
}): MailContent {
  const who = input.inviterName ? `${input.inviterName} has invited you` : 'You have been invited';
  return compose(`You are invited to ${input.tenantName} on Latchkey`, {
    paragraphs: [
      'Hello,',
      `${who} to join ${input.tenantName} on Latchkey as ${article(input.role)} ${input.role}.`,
      'Accept the invitation to confirm your email address and choose a password (or sign in ' +
        "with your organisation's identity provider, if it uses one).",
    ],
    action: { label: 'Accept the invitation', link: input.link },
    footer: [
      'The link works once, within 24 hours; ask for a new one if it has expired.',
      'If you do not know why you got this, ignore it: nothing happens unless you accept.',
    ],
  });
}

export function passwordResetMail(input: { link: string; minutesValid: number }): MailContent {
  return compose('Reset your Latchkey password', {
    paragraphs: [
      'Hello,',
      'Someone asked to reset the password of the Latchkey account of this email address.',
      'Choosing a new password signs you out everywhere. Your API keys keep working.',
    ],
    action: { label: 'Choose a new password', link: input.link },
    footer: [
      `The link works once, within ${input.minutesValid} minutes.`,
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ],
  });
}

export function loginLockoutMail(input: {
  address: string;
  lockedForMinutes: number;
  resetLink: string;
}): MailContent {
  return compose('Repeated failed sign-ins to your Latchkey account', {
    paragraphs: [
      'Hello,',
      `Someone at the address ${input.address} tried to sign in to your Latchkey account ` +
        'with a wrong password several times.',
      `Sign-ins from that address are paused for ${input.lockedForMinutes} minute(s), and for ` +
        'longer if it goes on. You can still sign in from anywhere else.',
      'If this was not you, your password may be known to someone: choose a new one.',
    ],
    action: { label: 'Reset my password', link: input.resetLink },
    footer: ['If it was you, nothing needs doing: wait a little and try again.'],
  });
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
