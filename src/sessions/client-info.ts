import type { FastifyRequest } from 'fastify';
import { clientAddress } from '@/throttling/client-address';

/** Who signed in, as the sessions list shows it. */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

const MAX_USER_AGENT_LENGTH = 256;

export function clientInfo(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return {
    ip: clientAddress(request).slice(0, 45),
    userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null,
  };
}
