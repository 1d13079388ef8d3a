import { AppConfig } from '@/config/app-config';

/** The pages the links in mails open (the console serves them; or your own front end). */
export type LinkPage = '/verify-email' | '/reset-password' | '/accept-invite';

export function publicLink(config: AppConfig, page: LinkPage, token: string): string {
  return `${config.publicUrl}${page}?token=${encodeURIComponent(token)}`;
}
