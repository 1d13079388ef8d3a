import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { ApiKeyFormat } from '@/api-keys/api-key-format';
import { Operation, Schema } from './openapi';
import { IdKind, TenantFixture } from './tenant-fixture';
import { localClaims, signHs256, unsigned } from './tokens';

/** Whose credential a request really carries, whatever it looks like. */
export type Identity = 'own' | 'other' | 'operator' | 'nobody';

/** How the body was built, where that decides the answer before any credential is read. */
export type BodyKind = 'none' | 'json' | 'malformed' | 'too-deep' | 'poisoned' | 'other-type';

export interface HostileRequest {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string;
  identity: Identity;
  /** What the credential is, for failure reports. */
  credential: string;
  /** Whose real id the path names, if any. */
  target?: 'own' | 'other';
  /** The path id is not a canonical uuid: the route itself may not match. */
  oddPath: boolean;
  bodyKind: BodyKind;
}

export interface FuzzContext {
  own: TenantFixture;
  other: TenantFixture;
  operatorToken: string;
  keyPrefix: string;
  bodyLimit: number;
  /** Ids kept out of the paths of mutating operations (the caller's own user and key). */
  protectedIds: ReadonlySet<string>;
  /** Emails of real users, and the password of those that have one, for bodies that log in. */
  knownEmails: string[];
  password: string;
}

// ---------------------------------------------------------------------------------------------
// Values

const huge = (maxBytes: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom('a', 'é', '€', '😀', ' ', '\u0000', '\u202e', '\\', '"'), fc.nat())
    .map(([unit, n]) => unit.repeat(1000 + (n % Math.floor(maxBytes / Buffer.byteLength(unit)))));

const loneSurrogates = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  minLength: 1,
  maxLength: 8,
});

const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'nul\u0000inside',
  '\t\n\r',
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  '"',
  '\\',
  '{"$ne":null}',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '%s%s%s%n',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  '\u202egnp.exe',
  '\u200b',
  'Ａｄｍｉｎ',
  'e\u0301\u0301\u0301',
  '𝕏'.repeat(200),
  '2024-13-45T25:61:61Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '0000-00-00',
  '9999-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00Z',
);

const oddNumbers = fc.constantFrom(
  0,
  -1,
  -0,
  0.5,
  1.5,
  -1.5,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e308,
  -1e308,
  5e-324,
  1_000_001,
  100_001,
  604_801,
);

/** Whatever a careless or hostile client may put where a value belongs. */
function hostileValue(schema: Schema, maxBytes: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { $gt: '' }), weight: 3 },
    { arbitrary: oddNumbers, weight: 2 },
    { arbitrary: nasty, weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 300 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 150 }), weight: 2 },
    { arbitrary: loneSurrogates, weight: 1 },
    { arbitrary: huge(maxBytes), weight: 1 },
    { arbitrary: fc.array(validValue(schema, ''), { maxLength: 3 }), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 2 },
    {
      // The right value in the wrong type: 5 as "5", true as "true", an object as its JSON.
      arbitrary: validValue(schema, '').map((value) =>
        typeof value === 'string' ? value : (JSON.stringify(value) ?? ''),
      ),
      weight: 1,
    },
    { arbitrary: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), weight: 1 },
  );
}

/** A value that the schema allows (and a plausible one where it says little). */
export function validValue(schema: Schema, property: string): fc.Arbitrary<unknown> {
  const nullable = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
    schema.nullable
      ? fc.oneof({ arbitrary, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 })
      : arbitrary;
  if (schema.enum) return nullable(fc.constantFrom(...schema.enum));
  switch (schema.type) {
    case 'string':
      return nullable(validString(schema, property));
    case 'number':
    case 'integer':
      return nullable(
        fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1_000_000 }),
      );
    case 'boolean':
      return nullable(fc.boolean());
    case 'array':
      return nullable(
        fc.uniqueArray(validValue(schema.items ?? {}, property), { minLength: 1, maxLength: 4 }),
      );
    case 'object':
      return nullable(validObject(schema));
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(schema: Schema, property: string): fc.Arbitrary<string> {
  if (/email/i.test(property)) {
    return fc.oneof(
      fc.uuid({ version: 4 }).map((id) => `fuzz-${id}@example.test`),
      fc.emailAddress(),
    );
  }
  if (schema.format === 'date-time') {
    const now = Date.now();
    return fc
      .date({ min: new Date(now - 86_400_000), max: new Date(now + 10 * 365 * 86_400_000) })
      .filter((date) => !Number.isNaN(date.getTime()))
      .map((date) => date.toISOString());
  }
  if (schema.format === 'uuid') return fc.uuid({ version: 4 });
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 200, 300);
  return fc.oneof(
    fc.string({ unit: 'grapheme-ascii', minLength, maxLength }),
    fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, maxLength / 4) }),
  );
}

function validObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(properties).map(([name, property]) => [
    name,
    validValue(property, name),
  ]);
  return fc.record(Object.fromEntries(entries) as Record<string, fc.Arbitrary<unknown>>, {
    requiredKeys: [...required],
  });
}

// ---------------------------------------------------------------------------------------------
// Bodies

interface Body {
  payload?: string;
  contentType?: string;
  kind: BodyKind;
}

/** Fields that must never be taken from a body: the server sets them. */
const SMUGGLED_FIELDS = fc.constantFrom(
  'tenantId',
  'role',
  'plan',
  'createdBy',
  'id',
  'userId',
  'status',
  'passwordHash',
  'digest',
  'isAdmin',
  'limits',
  'key',
  'email',
);

const json = (value: unknown): Body => ({
  payload: JSON.stringify(value) ?? 'null',
  contentType: 'application/json',
  kind: 'json',
});

/** Now and then a real user's email (and the right password): a login that works, a taken email. */
function withKnownUsers(
  valid: fc.Arbitrary<Record<string, unknown>>,
  schema: Schema,
  context: FuzzContext,
): fc.Arbitrary<Record<string, unknown>> {
  if (!schema.properties?.email) return valid;
  return fc
    .tuple(
      valid,
      fc.oneof(
        { arbitrary: fc.constant(null), weight: 3 },
        { arbitrary: fc.constantFrom(...context.knownEmails), weight: 1 },
      ),
      fc.boolean(),
    )
    .map(([body, email, rightPassword]) => {
      if (email === null) return body;
      const known: Record<string, unknown> = { ...body, email };
      if (schema.properties?.password && rightPassword) known.password = context.password;
      return known;
    });
}

function jsonBodies(schema: Schema, context: FuzzContext): fc.Arbitrary<Body> {
  const valid = withKnownUsers(validObject(schema), schema, context);
  const names = Object.keys(schema.properties ?? {});
  const maxBytes = Math.floor(context.bodyLimit * 0.9);
  const mutated =
    names.length === 0
      ? valid
      : fc.tuple(valid, fc.constantFrom(...names)).chain(([body, name]) =>
          hostileValue(schema.properties![name], maxBytes).map((value) => ({
            ...body,
            [name]: value,
          })),
        );
  const missing = fc.tuple(valid, fc.nat()).map(([body, n]) => {
    const keys = Object.keys(body);
    if (keys.length === 0) return body;
    const copy = { ...body };
    delete copy[keys[n % keys.length]];
    return copy;
  });
  const smuggled = fc
    .tuple(
      valid,
      fc.oneof(SMUGGLED_FIELDS, fc.string({ minLength: 1, maxLength: 20 })),
      fc.oneof(
        fc.constant(context.other.tenantId),
        fc.constant('admin'),
        fc.constant('enterprise'),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    )
    .filter(([, key]) => key !== '__proto__')
    .map(([body, key, value]) => ({ ...body, [key]: value }));
  const notAnObject = fc.oneof(
    fc.array(valid, { minLength: 1, maxLength: 3 }),
    fc.constantFrom(null, 'name', 42, true, [], ''),
    fc.jsonValue({ maxDepth: 3 }),
  );
  return fc.oneof(
    { arbitrary: valid.map((body) => json(body)), weight: 4 },
    { arbitrary: mutated.map((body) => json(body)), weight: 6 },
    { arbitrary: missing.map((body) => json(body)), weight: 1 },
    { arbitrary: smuggled.map((body) => json(body)), weight: 2 },
    { arbitrary: notAnObject.map((body) => json(body)), weight: 2 },
    { arbitrary: rawBodies(schema, context), weight: 3 },
  );
}

/** Bodies a JSON serialiser would never write: the parser's job, before any route code runs. */
function rawBodies(schema: Schema, context: FuzzContext): fc.Arbitrary<Body> {
  const valid = validObject(schema);
  const overLimit = fc
    .tuple(valid, fc.integer({ min: 1, max: 50_000 }))
    .map(([body, extra]) => json({ ...body, padding: 'x'.repeat(context.bodyLimit + extra) }));
  const tooDeep = fc
    .tuple(fc.integer({ min: 33, max: 20_000 }), fc.constantFrom('[', '{"a":'))
    .map(([depth, open]): Body => {
      const close = open === '[' ? ']' : '}';
      return {
        payload: `{"name":${open.repeat(depth)}1${close.repeat(depth)}}`,
        contentType: 'application/json',
        kind: 'too-deep',
      };
    });
  const malformed = fc
    .constantFrom(
      '{',
      '{"name": ',
      "{'name': 'x'}",
      '{"name": "x",}',
      '{"name": "x"} trailing',
      '{"name": undefined}',
      '{"name": NaN}',
      '[1, 2',
      '{"name":"\\x00"}',
      '{"name":"\\ud800"',
      '"unterminated',
      'nul\u0000',
    )
    .map((payload): Body => ({ payload, contentType: 'application/json', kind: 'malformed' }));
  const poisoned = fc
    .constantFrom(
      '{"__proto__":{"isAdmin":true},"name":"x"}',
      '{"name":"x","constructor":{"prototype":{"isAdmin":true}}}',
      '{"name":{"__proto__":{"role":"admin"}}}',
    )
    .map((payload): Body => ({ payload, contentType: 'application/json', kind: 'poisoned' }));
  const otherTypes = fc
    .constantFrom<[string, string | undefined]>(
      ['text/plain', 'name=x'],
      ['text/plain', '{"name":"x"}'],
      ['application/x-www-form-urlencoded', 'name=x&tenantId=y'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--',
      ],
      ['application/xml', '<name>x</name>'],
      ['application/json; charset=utf-16', '{"name":"x"}'],
      ['APPLICATION/JSON', '{"name":"x"}'],
      ['application/json', ''],
      ['application/json', '\ufeff{"name":"x"}'],
      ['application/json', '   '],
      ['', '{"name":"x"}'],
    )
    .map(([contentType, payload]): Body => ({ payload, contentType, kind: 'other-type' }));
  return fc.oneof(overLimit, tooDeep, malformed, poisoned, otherTypes);
}

function bodyFor(operation: Operation, context: FuzzContext): fc.Arbitrary<Body> {
  if (operation.body) return jsonBodies(operation.body, context);
  if (operation.method === 'GET') return fc.constant({ kind: 'none' });
  // No documented body: usually none, sometimes one anyway.
  return fc.oneof(
    { arbitrary: fc.constant<Body>({ kind: 'none' }), weight: 6 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => json(value)), weight: 1 },
    { arbitrary: rawBodies({ type: 'object', properties: {} }, context), weight: 1 },
  );
}

// ---------------------------------------------------------------------------------------------
// Path ids

interface PathId {
  value: string;
  /** Sent as it is, not percent-encoded: broken encodings the router itself must refuse. */
  raw?: boolean;
  target?: 'own' | 'other';
  odd: boolean;
}

/** What the path's id names: `/api/projects/{id}` a project, `/api/operator/tenants/{id}` a tenant. */
function idKindOf(operation: Operation): IdKind | undefined {
  const kinds: [RegExp, IdKind][] = [
    [/\/tenants\/\{/, 'tenant'],
    [/\/users\/\{/, 'user'],
    [/\/projects\/\{/, 'project'],
    [/\/api-keys\/\{/, 'api-key'],
  ];
  return kinds.find(([pattern]) => pattern.test(operation.path))?.[1];
}

function pathIds(operation: Operation, context: FuzzContext): fc.Arbitrary<PathId> {
  const usable = (ids: string[]): string[] =>
    ids.filter((id) => operation.method === 'GET' || !context.protectedIds.has(id));
  const kind = idKindOf(operation);
  const ownAll = usable(Object.values(context.own.ids).flat());
  const ownKind = kind ? usable(context.own.ids[kind]) : [];
  // The operator may act on any tenant: the other tenant is kept out of its reach instead, so
  // that its limits and status stay what the rest of the run relies on.
  const operator = operation.security === 'operator';
  const otherAll = operator ? [] : Object.values(context.other.ids).flat();
  const otherKind = operator || !kind ? [] : context.other.ids[kind];
  const real = (ids: string[], target: 'own' | 'other', weight: number) =>
    ids.length === 0
      ? []
      : [
          {
            arbitrary: fc
              .tuple(fc.constantFrom(...ids), fc.boolean())
              .map(([id, upper]): PathId => ({
                value: upper ? id.toUpperCase() : id,
                target,
                odd: false,
              })),
            weight,
          },
        ];
  const odd = fc.oneof(
    nasty,
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 60 }),
    fc.constantFrom(
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '{00000000-0000-4000-8000-000000000000}',
      'urn:uuid:00000000-0000-4000-8000-000000000000',
      '00000000000040008000000000000000',
      '00000000-0000-4000-8000-00000000000',
      '00000000-0000-4000-8000-0000000000000',
      ' 00000000-0000-4000-8000-000000000000',
      '0',
      '-1',
      '1.5',
      'me',
      '..',
      '.',
    ),
    fc.integer({ min: 101, max: 5000 }).map((n) => 'a'.repeat(n)),
    fc.constantFrom(...ownAll).map((id) => `${id}' OR '1'='1`),
  );
  return fc.oneof(
    ...real(ownKind, 'own', 5),
    ...real(ownAll, 'own', 1),
    ...real(otherKind, 'other', 3),
    ...real(otherAll, 'other', 1),
    { arbitrary: fc.uuid({ version: 4 }).map((value) => ({ value, odd: false })), weight: 2 },
    { arbitrary: odd.map((value) => ({ value, odd: true })), weight: 4 },
    {
      arbitrary: fc
        .constantFrom(
          '%',
          '%zz',
          '%E0%A4%A',
          '%C0%AF',
          '%ED%A0%80',
          '..%2F..%2Fhealth',
          '%2e%2e',
          '%00',
        )
        .map((value) => ({ value, raw: true, odd: true })),
      weight: 1,
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Query strings

type Pairs = [string, string][];

function queryFor(operation: Operation, context: FuzzContext): fc.Arbitrary<Pairs> {
  const names = Object.keys(operation.queryParameters);
  const limits = fc.oneof(
    fc.integer({ min: 1, max: 100 }).map(String),
    fc.constantFrom('0', '-1', '101', '1000000', '1.5', 'abc', '', ' 5', '0x10', '1e2', '٣', 'NaN'),
    fc.integer().map(String),
  );
  const cursors = fc.oneof(
    fc.constant(context.own.cursor),
    fc.constant(context.other.cursor),
    fc.string({ maxLength: 60 }).map((text) => Buffer.from(text).toString('base64url')),
    fc
      .tuple(
        fc.oneof(
          nasty,
          fc.date().map((d) => (isNaN(d.getTime()) ? 'x' : d.toISOString())),
        ),
        fc.oneof(fc.uuid(), nasty),
      )
      .map(([time, id]) => Buffer.from(`${time}|${id}`).toString('base64url')),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    nasty,
  );
  const documented = fc
    .record({ limit: limits, cursor: cursors }, { requiredKeys: [] })
    .map((query): Pairs => Object.entries(query).filter(([name]) => names.includes(name)));
  const extras = fc.oneof(
    fc.constant<Pairs>([]),
    fc.constant<Pairs>([]),
    fc.constantFrom<Pairs>(
      [['access_token', context.own.admin.token]],
      [['api_key', context.own.admin.key.key]],
      [['token', context.own.admin.token]],
      [['tenantId', context.other.tenantId]],
      [
        ['limit', '1'],
        ['limit', '2'],
      ],
      [['limit[]', '1']],
      [['cursor[a]', 'b']],
      [['__proto__', 'x']],
      [['constructor[prototype][x]', '1']],
    ),
    fc.array(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 })), {
      maxLength: 3,
    }),
  );
  return fc.tuple(documented, extras).map(([a, b]) => [...a, ...b]);
}

// ---------------------------------------------------------------------------------------------
// Credentials

interface Credential {
  header?: string;
  identity: Identity;
  credential: string;
}

/** Non-ASCII as it arrives over HTTP: UTF-8 bytes read as latin1. */
const latin1 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

function credentials(operation: Operation, context: FuzzContext): fc.Arbitrary<Credential> {
  const { own, other } = context;
  const valid = (identity: Identity, credential: string, header: string): Credential => ({
    header,
    identity,
    credential,
  });
  const format = new ApiKeyFormat(context.keyPrefix);
  const badChecksum = (key: string): string => key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
  const invalid: [string, () => string | undefined][] = [
    ['none', () => undefined],
    ['10 kB header', () => `Bearer ${'a'.repeat(10_240)}`],
    ['10 kB header around a valid token', () => `Bearer ${own.admin.token}${' '.repeat(10_240)}`],
    ['non-ASCII', () => latin1('Bearer ключ🔑')],
    ['latin1 token', () => 'Bearer é'],
    ['key with a bad checksum', () => badChecksum(own.admin.key.key)],
    ['bearer key with a bad checksum', () => `Bearer ${badChecksum(own.admin.key.key)}`],
    ['made-up key with a valid checksum', () => format.generate('live')],
    ['key of another prefix', () => own.admin.key.key.replace(/^[^_]+/, 'xyz')],
    ['alg none', () => `Bearer ${unsigned(localClaims(own.admin.id, own.tenantId))}`],
    [
      'alg none, other tenant',
      () => `Bearer ${unsigned(localClaims(other.admin.id, other.tenantId))}`,
    ],
    [
      "another tenant's user under this tenant",
      () => `Bearer ${signHs256(localClaims(other.viewer.id, own.tenantId))}`,
    ],
    [
      "this tenant's admin under another tenant",
      () => `Bearer ${signHs256(localClaims(own.admin.id, other.tenantId))}`,
    ],
    [
      'wrong secret',
      () =>
        `Bearer ${signHs256(localClaims(own.admin.id, own.tenantId), 'not-the-secret-at-all-0123456789')}`,
    ],
    [
      'expired',
      () =>
        `Bearer ${signHs256(localClaims(own.admin.id, own.tenantId, { exp: Math.floor(Date.now() / 1000) - 60 }))}`,
    ],
    [
      'no exp',
      () => `Bearer ${signHs256(localClaims(own.admin.id, own.tenantId, { exp: undefined }))}`,
    ],
    [
      'HS512 header',
      () =>
        `Bearer ${signHs256(localClaims(own.admin.id, own.tenantId), undefined, { alg: 'HS512', typ: 'JWT' })}`,
    ],
    [
      'another issuer',
      () => `Bearer ${signHs256(localClaims(own.admin.id, own.tenantId, { iss: 'evil' }))}`,
    ],
    ['sub not a uuid', () => `Bearer ${signHs256(localClaims("' OR 1=1 --", own.tenantId))}`],
    ['unknown user', () => `Bearer ${signHs256(localClaims(randomUUID(), own.tenantId))}`],
    ['Basic', () => 'Basic dXNlcjpwYXNzd29yZA=='],
    ['empty bearer', () => 'Bearer '],
    ['three dots', () => 'Bearer a.b.c'],
    ['two tokens', () => `Bearer ${own.admin.token} ${own.admin.token}`],
    ['doubled scheme', () => `Bearer Bearer ${own.admin.token}`],
    ['operator token', () => `Bearer ${context.operatorToken}`],
  ];
  const invalidArbitrary = fc
    .constantFrom(...invalid)
    .map(([credential, header]) => ({ header: header(), identity: 'nobody' as const, credential }));

  if (operation.security === 'operator') {
    return fc.oneof(
      {
        arbitrary: fc.constant(
          valid('operator', 'operator token', `Bearer ${context.operatorToken}`),
        ),
        weight: 6,
      },
      {
        arbitrary: fc.constantFrom(
          valid('nobody', "a tenant admin's JWT", `Bearer ${own.admin.token}`),
          valid('nobody', "a tenant admin's key", own.admin.key.key),
          valid('nobody', 'operator token, no scheme', context.operatorToken),
          valid('nobody', 'operator token with a space', `Bearer ${context.operatorToken} `),
          valid(
            'nobody',
            'operator token, one char off',
            `Bearer ${context.operatorToken.slice(0, -1)}x`,
          ),
        ),
        weight: 2,
      },
      { arbitrary: invalidArbitrary.filter((c) => c.credential !== 'operator token'), weight: 2 },
    );
  }
  return fc.oneof(
    { arbitrary: fc.constant(valid('own', 'admin JWT', `Bearer ${own.admin.token}`)), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        valid('own', 'admin key', own.admin.key.key),
        valid('own', 'admin key, bearer', `Bearer ${own.admin.key.key}`),
        valid('own', 'admin key, lower-case scheme', `bearer   ${own.admin.key.key}  `),
      ),
      weight: 3,
    },
    { arbitrary: fc.constant(valid('own', 'viewer JWT', `Bearer ${own.viewer.token}`)), weight: 2 },
    {
      arbitrary: fc.constant(
        valid('other', "another tenant's viewer JWT", `Bearer ${other.viewer.token}`),
      ),
      weight: 2,
    },
    { arbitrary: invalidArbitrary, weight: 5 },
  );
}

/** Headers beside the credential that a hostile client may also bend. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 6 },
  {
    arbitrary: fc.constantFrom<Record<string, string>>(
      { 'x-request-id': 'a'.repeat(500) },
      { 'x-request-id': latin1('ид-запроса') },
      { 'x-forwarded-for': '999.999.999.999, ::ffff:1.2.3.4, garbage' },
      { accept: 'text/html' },
      { accept: 'application/xml;q=1, */*;q=0' },
      { 'accept-encoding': 'gzip, br, zstd, ' + 'x'.repeat(1000) },
      { 'x-tenant-id': '00000000-0000-4000-8000-000000000000' },
      { cookie: 'access_token=whatever; api_key=whatever' },
      { 'x-api-key': 'prv_live_00000000000000000000000000000000' },
    ),
    weight: 2,
  },
);

// ---------------------------------------------------------------------------------------------
// Requests

function encodeQuery(pairs: Pairs): string {
  if (pairs.length === 0) return '';
  return `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

const clip = (text: string, length: number): string =>
  text.length > length ? `${text.slice(0, length)}…(${text.length} chars)` : text;

/** The request in a line or two: huge strings cut short, so that a failure report stays legible. */
export function describeRequest(request: HostileRequest): string {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, clip(value, 120)]),
  );
  return JSON.stringify({
    ...request,
    url: clip(request.url, 300),
    headers,
    payload: request.payload === undefined ? undefined : clip(request.payload, 300),
  });
}

/** A request for `operation` that is wrong in any number of ways, or sometimes right. */
export function hostileRequest(
  operation: Operation,
  context: FuzzContext,
): fc.Arbitrary<HostileRequest> {
  const id: fc.Arbitrary<PathId | undefined> =
    operation.pathParameters.length > 0 ? pathIds(operation, context) : fc.constant(undefined);
  return fc
    .record({
      id,
      query: queryFor(operation, context),
      body: bodyFor(operation, context),
      credential: credentials(operation, context),
      headers: extraHeaders,
    })
    .map(({ id, query, body, credential, headers }) => {
      let path = operation.path;
      for (const name of operation.pathParameters) {
        path = path.replace(`{${name}}`, id!.raw ? id!.value : encodeURIComponent(id!.value));
      }
      const allHeaders: Record<string, string> = { ...headers };
      if (credential.header !== undefined) allHeaders.authorization = credential.header;
      if (body.contentType) allHeaders['content-type'] = body.contentType;
      const request: HostileRequest = {
        method: operation.method,
        url: path + encodeQuery(query),
        headers: allHeaders,
        payload: body.payload,
        identity: credential.identity,
        credential: credential.credential,
        target: id?.target,
        oddPath: id?.odd ?? false,
        bodyKind: body.kind,
      };
      return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
    });
}
