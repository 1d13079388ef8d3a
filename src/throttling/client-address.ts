import { isIP } from 'node:net';
import { normalizeIp } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';

/**
 * The client's IP address as TRUST_PROXY lets Fastify read it, cleaned up for use as a counter
 * key: a port some proxies append (`203.0.113.7:51234`, `[2001:db8::1]:443`) is dropped, and
 * anything that is still not an IP address gives way to the TCP peer's address.
 */
export function clientAddress(request: FastifyRequest): string {
  const candidate = request.ip;
  if (isIP(candidate)) return candidate;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
  if (bracketed && isIP(bracketed[1]) === 6) return bracketed[1];
  const withPort = /^([\d.]+):\d+$/.exec(candidate);
  if (withPort && isIP(withPort[1]) === 4) return withPort[1];
  return request.socket.remoteAddress ?? 'unknown';
}

/** What counters key a client by: its address, or for IPv6 its /64 (one host usually holds it all). */
export function clientNetwork(address: string): string {
  return normalizeIp(address);
}
