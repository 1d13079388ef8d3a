export const LOCAL_TOKEN_ISSUER = 'latchkey';
export const LOCAL_TOKEN_AUDIENCE = 'latchkey-api';

export interface LocalTokenPayload {
  sub: string;
  tid: string;
  iat?: number;
  exp?: number;
}
