import { readCredential } from './credential';

const KEY = 'prv_test_794df9bu824e7d0176e079940e0915le';

describe('readCredential', () => {
  it.each([
    [`Bearer ${KEY}`, { kind: 'api-key', token: KEY }],
    [`bearer ${KEY}`, { kind: 'api-key', token: KEY }],
    [KEY, { kind: 'api-key', token: KEY }],
    [`  ${KEY}  `, { kind: 'api-key', token: KEY }],
    ['Bearer a.b.c', { kind: 'jwt', token: 'a.b.c' }],
    ['a.b.c', { kind: 'none' }],
    ['Basic dXNlcjpwYXNz', { kind: 'none' }],
    ['Bearer ', { kind: 'none' }],
    ['Bearer a b', { kind: 'none' }],
    ['', { kind: 'none' }],
    [undefined, { kind: 'none' }],
    [`Bearer ${'x'.repeat(9000)}`, { kind: 'none' }],
  ])('reads %j', (header, expected) => {
    expect(readCredential(header, 'prv')).toEqual(expected);
  });

  it('tells keys by the configured prefix', () => {
    expect(readCredential('Bearer acme_live_x', 'acme').kind).toBe('api-key');
    expect(readCredential(`Bearer ${KEY}`, 'acme').kind).toBe('jwt');
  });
});
