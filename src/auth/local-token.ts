export const LOCAL_TOKEN_ISSUER = 'latchkey';
export const LOCAL_TOKEN_AUDIENCE = 'latchkey-api';

export interface LocalTokenPayload {
  sub: string;
  tid: string;
  /** The session the token belongs to: it stops working when the session ends. */
  sid: string;
  iat?: number;
  exp?: number;
}
