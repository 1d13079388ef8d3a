import { Injectable } from '@nestjs/common';
import { AppConfig } from '@/config/app-config';
import {
  invitationMail,
  loginLockoutMail,
  passwordResetMail,
  verifyEmailMail,
} from '@/mail/mail-templates';
import { OutgoingMail } from '@/mail/mailer.service';
import { publicLink } from '@/mail/public-links';
import { Role } from '@/users/roles';
import { TOKEN_LIFETIME_MS } from './account-tokens.service';

interface Recipient {
  id: string;
  email: string;
  name?: string | null;
}

/** The mails of an account's life, each with its link built from PUBLIC_URL. */
@Injectable()
export class AccountMails {
  constructor(private readonly config: AppConfig) {}

  verification(user: Recipient, token: string, tenantName?: string): OutgoingMail {
    const link = publicLink(this.config, '/verify-email', token);
    return this.to(
      user,
      'verify-email',
      verifyEmailMail({ link, tenantName, recipientName: user.name ?? undefined }),
    );
  }

  invitation(
    user: Recipient & { role: Role },
    token: string,
    tenantName: string,
    inviterName: string,
  ): OutgoingMail {
    const link = publicLink(this.config, '/accept-invite', token);
    return this.to(
      user,
      'invitation',
      invitationMail({ link, tenantName, inviterName, role: user.role }),
    );
  }

  passwordReset(user: Recipient, token: string): OutgoingMail {
    const link = publicLink(this.config, '/reset-password', token);
    const minutesValid = TOKEN_LIFETIME_MS.password_reset / 60_000;
    return this.to(user, 'password-reset', passwordResetMail({ link, minutesValid }));
  }

  loginLockout(user: Recipient, address: string, lockedForSeconds: number): OutgoingMail {
    return this.to(
      user,
      'login-lockout',
      loginLockoutMail({
        address,
        lockedForMinutes: Math.ceil(lockedForSeconds / 60),
        resetLink: `${this.config.publicUrl}/forgot-password`,
      }),
    );
  }

  private to(
    user: Recipient,
    kind: OutgoingMail['kind'],
    content: { subject: string; text: string; html: string },
  ): OutgoingMail {
    return { to: user.email, kind, reference: user.id, ...content };
  }
}
