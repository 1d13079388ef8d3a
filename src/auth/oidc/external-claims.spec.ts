import { claimedIssuer, verifiedEmail } from './external-claims';

describe('verifiedEmail', () => {
  const claims = (email: unknown, verified: unknown) => ({
    iss: 'https://issuer.test/',
    sub: 'x',
    email,
    email_verified: verified,
  });

  it('reads a verified email, lower-cased', () => {
    expect(verifiedEmail(claims('Kate@Example.TEST', true))).toBe('kate@example.test');
  });

  it.each([
    ['not verified', claims('kate@example.test', false)],
    ['verified only as a string', claims('kate@example.test', 'true')],
    ['no verification claim', claims('kate@example.test', undefined)],
    ['not a string', claims(['kate@example.test'], true)],
    ['padded', claims(' kate@example.test', true)],
    ['with a Kelvin sign that lower-cases to k', claims('\u212Aate@example.test', true)],
    ['non-ASCII', claims('käte@example.test', true)],
    ['no @', claims('kate.example.test', true)],
  ])('refuses an email %s', (_case, value) => {
    expect(verifiedEmail(value)).toBeUndefined();
  });
});

describe('claimedIssuer', () => {
  const token = (payload: string) =>
    `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(payload).toString('base64url')}.sig`;

  it('reads the iss a token claims', () => {
    expect(claimedIssuer(token('{"iss":"https://issuer.test/"}'))).toBe('https://issuer.test/');
  });

  it.each(['not json', '{"iss":42}', 'null', '[]'])('is undefined for a payload of %s', (raw) => {
    expect(claimedIssuer(token(raw))).toBeUndefined();
  });

  it('is undefined without a payload', () => {
    expect(claimedIssuer('only-one-part')).toBeUndefined();
  });
});
