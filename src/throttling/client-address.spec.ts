import type { FastifyRequest } from 'fastify';
import { clientAddress } from './client-address';

const request = (ip: string): FastifyRequest =>
  ({ ip, socket: { remoteAddress: '10.0.0.9' } }) as unknown as FastifyRequest;

describe('clientAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8::1', '2001:db8::1'],
    ['203.0.113.7:51234', '203.0.113.7'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
  ])('reads %s as %s', (ip, expected) => {
    expect(clientAddress(request(ip))).toBe(expected);
  });

  it.each(['unknown', 'x'.repeat(5000), '203.0.113.7, 10.0.0.1', '999.1.1.1:80'])(
    'falls back to the TCP peer for %s',
    (ip) => {
      expect(clientAddress(request(ip))).toBe('10.0.0.9');
    },
  );
});
