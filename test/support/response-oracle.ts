import { STATUS_CODES } from 'node:http';
import { ERRORS, ErrorCode } from '@/common/errors';
import { FuzzContext, HostileRequest } from './hostile-requests';
import { Operation, ResponseValidator } from './openapi';

export interface ReceivedResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** What a client may be told about a credential that does not work (DESIGN.md section 7). */
const CREDENTIAL_CODES = new Set<ErrorCode>([
  'MISSING_CREDENTIAL',
  'INVALID_API_KEY',
  'API_KEY_EXPIRED',
  'INVALID_TOKEN',
  'TOKEN_EXPIRED',
  'SESSION_ENDED',
  'ACCOUNT_INACTIVE',
]);

/** What any operation may answer before its own code runs (README, Errors): not listed per operation. */
const ANY_OPERATION = new Set([413, 414, 415]);

const INTERNALS =
  /\n\s+at |QueryFailedError|EntityNotFound|TypeORM|node_modules|syntax error at or near|violates .* constraint|invalid input syntax|duplicate key/i;

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * `{statusCode, error, code, message}`, plus `errors: [{field, messages}]` on a 400, and nothing
 * else; the code is one of the documented ones, and it is the code of that status.
 */
export function errorShapeProblems(response: ReceivedResponse): string[] {
  const problems: string[] = [];
  const status = response.statusCode;
  if (!String(response.headers['content-type']).startsWith('application/json')) {
    problems.push(`error with content-type ${String(response.headers['content-type'])}`);
  }
  const body = parse(response.body) as Record<string, unknown> | undefined;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [...problems, `error body is not a JSON object: ${response.body.slice(0, 200)}`];
  }
  const allowed = ['statusCode', 'error', 'code', 'message', ...(status === 400 ? ['errors'] : [])];
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length > 0) problems.push(`error body has undocumented keys ${extra.join(', ')}`);
  if (body.statusCode !== status)
    problems.push(`statusCode ${String(body.statusCode)} ≠ ${status}`);
  if (body.error !== STATUS_CODES[status]) {
    problems.push(`error ${JSON.stringify(body.error)} ≠ ${JSON.stringify(STATUS_CODES[status])}`);
  }
  const code = body.code as string;
  if (!(code in ERRORS))
    problems.push(`code ${JSON.stringify(body.code)} is not a documented code`);
  else if (ERRORS[code as ErrorCode].status !== status) {
    problems.push(`code ${code} is not a code of status ${status}`);
  }
  if (typeof body.message !== 'string' || body.message === '') {
    problems.push(`message ${JSON.stringify(body.message)} is not a non-empty string`);
  }
  if (body.errors !== undefined) {
    const fieldErrors = Array.isArray(body.errors) ? (body.errors as unknown[]) : [undefined];
    const wellFormed = fieldErrors.every((entry) => {
      const { field, messages, ...rest } = (entry ?? {}) as Record<string, unknown>;
      return (
        typeof field === 'string' &&
        Array.isArray(messages) &&
        messages.length > 0 &&
        messages.every((message) => typeof message === 'string') &&
        Object.keys(rest).length === 0 &&
        entry !== undefined
      );
    });
    if (!wellFormed)
      problems.push(`errors is not [{field, messages}]: ${JSON.stringify(body.errors)}`);
  }
  if (INTERNALS.test(response.body)) problems.push('error body shows internals (stack, SQL, ORM)');
  return problems;
}

/**
 * Answers of Fastify's router, before any route runs: an unknown path (404 `Cannot …`), a path
 * parameter over its length limit (414), a path that is not valid URL encoding (400).
 */
function isUnrouted(response: ReceivedResponse): boolean {
  const body = parse(response.body) as { message?: unknown; code?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : '';
  return (
    (response.statusCode === 404 && message.startsWith('Cannot ')) ||
    response.statusCode === 414 ||
    (response.statusCode === 400 && message === 'The path is not valid URL encoding')
  );
}

/** A string UTF-8 cannot carry (half a surrogate pair): encodeURIComponent refuses those. */
function notUnicode(value: unknown): boolean {
  if (typeof value === 'string') {
    try {
      encodeURIComponent(value);
      return false;
    } catch {
      return true;
    }
  }
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, child]) => notUnicode(key) || notUnicode(child));
}

/**
 * What the JSON parser makes of the body, before any guard runs: over the limit (413), refused
 * (400: malformed, too deep, prototype keys, not Unicode), read, or not JSON at all.
 */
function bodyVerdict(
  request: HostileRequest,
  bodyLimit: number,
): 'too large' | 'refused' | 'read' | 'other' {
  if (request.payload === undefined) return 'read';
  if (!request.headers['content-type']?.startsWith('application/json')) return 'other';
  if (Buffer.byteLength(request.payload) > bodyLimit) return 'too large';
  if (['malformed', 'too-deep', 'poisoned'].includes(request.bodyKind)) return 'refused';
  if (request.bodyKind !== 'json') return 'other';
  return notUnicode(JSON.parse(request.payload)) ? 'refused' : 'read';
}

/** Whether the request carries a credential that this operation accepts. */
function authenticated(operation: Operation, request: HostileRequest): boolean {
  if (operation.security === 'operator') return request.identity === 'operator';
  if (operation.security) return request.identity === 'own' || request.identity === 'other';
  return true;
}

/**
 * Everything wrong with how the API answered `request`: a 5xx, an error out of shape, a success
 * that does not match the document, a refused credential that worked, another tenant's data.
 */
export function responseProblems(
  operation: Operation,
  request: HostileRequest,
  response: ReceivedResponse,
  context: FuzzContext,
  validator: ResponseValidator,
): string[] {
  const status = response.statusCode;
  const problems: string[] = [];
  if (status >= 500) problems.push(`server error ${status}: ${response.body.slice(0, 300)}`);
  if (status >= 400) problems.push(...errorShapeProblems(response));

  if (status >= 200 && status < 300) {
    if (!(status in operation.responses)) {
      problems.push(`${status} is not a documented answer of ${operation.name}`);
    } else {
      const schema = operation.responses[status];
      if (schema) {
        const body = parse(response.body);
        problems.push(...validator.errors(schema, body).map((error) => `schema: ${error}`));
      } else if (response.body !== '') {
        problems.push(`${status} documented without a body, got ${response.body.slice(0, 100)}`);
      }
    }
  }

  const unrouted = isUnrouted(response);
  if (unrouted && !request.oddPath) problems.push('a well-formed path did not reach its route');
  if (
    status >= 400 &&
    !unrouted &&
    !ANY_OPERATION.has(status) &&
    !(status in operation.responses)
  ) {
    problems.push(`${status} is not a documented answer of ${operation.name}`);
  }

  // The body is read (and refused) before any credential is: these answers do not depend on it.
  const body = unrouted ? 'unread' : bodyVerdict(request, context.bodyLimit);
  if (body === 'too large' && status !== 413) {
    problems.push(`a body over the limit answered ${status}, not 413`);
  } else if (body === 'refused' && status !== 400) {
    problems.push(`a ${request.bodyKind} JSON body answered ${status}, not 400`);
  } else if (body === 'read' && !authenticated(operation, request)) {
    const code = (parse(response.body) as { code?: ErrorCode } | undefined)?.code;
    if (status !== 401 || !code || !CREDENTIAL_CODES.has(code)) {
      problems.push(`credential "${request.credential}" answered ${status} ${code}, not a 401`);
    }
  }

  const foreign =
    (request.identity === 'own' && request.target === 'other') ||
    (request.identity === 'other' && request.target === 'own');
  if (foreign && status >= 200 && status < 300) {
    problems.push(`${status} for another tenant's id`);
  }

  problems.push(...leaks(request, response, context));
  return problems;
}

/** Markers of a tenant the caller is not in, that the request did not itself send. */
function leaks(
  request: HostileRequest,
  response: ReceivedResponse,
  context: FuzzContext,
): string[] {
  if (request.identity === 'operator') return [];
  const forbidden = [
    ...(request.identity !== 'own' ? context.own.markers : []),
    ...(request.identity !== 'other' ? context.other.markers : []),
  ];
  const sent = `${request.url} ${JSON.stringify(request.headers)} ${request.payload ?? ''}`;
  const received = `${response.body} ${JSON.stringify(response.headers)}`;
  return forbidden
    .filter((marker) => received.includes(marker) && !sent.includes(marker))
    .map((marker) => `leaks ${marker} to a caller outside its tenant`);
}
