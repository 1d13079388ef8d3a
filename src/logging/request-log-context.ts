import type { IncomingMessage } from 'node:http';

export interface RequestLogFields {
  tenantId?: string;
  userId?: string;
  apiKeyId?: string;
}

const LOG_FIELDS = Symbol('latchkey.logFields');

type WithLogFields = IncomingMessage & { [LOG_FIELDS]?: RequestLogFields };

/** The guard records who called; the request's completion log line carries it. */
export function setPrincipalLogFields(request: IncomingMessage, fields: RequestLogFields): void {
  (request as WithLogFields)[LOG_FIELDS] = fields;
}

export function principalLogFields(request: IncomingMessage): RequestLogFields {
  return (request as WithLogFields)[LOG_FIELDS] ?? {};
}
