import { AppConfig } from '@/config/app-config';

/** The external issuer Latchkey trusts, when OIDC_ISSUER and OIDC_AUDIENCE are set. */
export interface OidcSettings {
  issuer: string;
  audience: string;
  jwksUri: string;
}

export function oidcSettings(config: AppConfig): OidcSettings | undefined {
  const { oidcIssuer: issuer, oidcAudience: audience, oidcJwksUri: jwksUri } = config;
  return issuer && audience && jwksUri ? { issuer, audience, jwksUri } : undefined;
}
