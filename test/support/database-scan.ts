import Redis from 'ioredis';
import { Client } from 'pg';

export interface StoredValue {
  table: string;
  column: string;
  /** Every way the value could carry a secret: as read, as text, bytes as hex, base64 and UTF-8. */
  forms: string[];
}

function formsOf(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Buffer.isBuffer(value)) {
    return [value.toString('hex'), value.toString('base64'), value.toString('utf8')];
  }
  if (value instanceof Date) return [value.toISOString()];
  if (typeof value === 'string') return [value];
  return [JSON.stringify(value)];
}

/**
 * Every column of every row of every table outside PostgreSQL's own schemas, read twice: as the
 * driver parses it (bytea as a Buffer, jsonb as an object, arrays) and as PostgreSQL prints the
 * row (`t::text`, `to_jsonb(t)::text`), so no type can hide a value from the scan.
 */
export async function readEveryValue(databaseUrl: string): Promise<StoredValue[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2`,
    );
    const values: StoredValue[] = [];
    for (const { table_schema, table_name } of tables.rows) {
      const table = `"${table_schema}"."${table_name}"`;
      const result = await client.query<unknown[]>({
        text: `SELECT t::text, to_jsonb(t)::text, t.* FROM ${table} t`,
        rowMode: 'array',
      });
      const columns = result.fields.map((field, i) =>
        i === 0 ? '(row as text)' : i === 1 ? '(row as jsonb)' : field.name,
      );
      for (const row of result.rows) {
        row.forEach((value, i) =>
          values.push({ table: table_name, column: columns[i], forms: formsOf(value) }),
        );
      }
    }
    return values;
  } finally {
    await client.end();
  }
}

async function redisValue(redis: Redis, name: string): Promise<unknown> {
  switch (await redis.type(name)) {
    case 'string':
      return redis.getBuffer(name);
    case 'hash':
      return redis.hgetall(name);
    case 'list':
      return redis.lrange(name, 0, -1);
    case 'set':
      return redis.smembers(name);
    case 'zset':
      return redis.zrange(name, 0, -1);
    default:
      return null;
  }
}

/** Every key of a Redis database, and the value of every string, hash, list and set in it. */
export async function readEveryRedisValue(redisUrl: string): Promise<StoredValue[]> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const values: StoredValue[] = [];
    let cursor = '0';
    do {
      const [next, names] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const name of names) {
        const content = await redisValue(redis, name);
        values.push({ table: 'redis', column: name, forms: [name, ...formsOf(content)] });
      }
    } while (cursor !== '0');
    return values;
  } finally {
    redis.disconnect();
  }
}

/**
 * A secret as it might be stored: as it is, hex-encoded, and base64- or base64url-encoded at each
 * of the three byte offsets it could have inside a longer encoded value (the characters that
 * mix in neighbouring bytes are left out).
 */
export function encodingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, bytes.toString('hex')];
  for (let offset = 0; offset < 3; offset++) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor((shifted.length * 8) / 6);
    forms.push(shifted.toString('base64').slice(start, end));
    forms.push(shifted.toString('base64url').slice(start, end));
  }
  return forms;
}

/** Where each secret (in any encoding, any letter case) occurs: `table.column: name`. */
export function findSecrets(values: StoredValue[], secrets: Record<string, string>): string[] {
  const needles = Object.entries(secrets).flatMap(([name, secret]) =>
    encodingsOf(secret).map((form) => ({ name, form: form.toLowerCase() })),
  );
  const found = new Set<string>();
  for (const { table, column, forms } of values) {
    for (const form of forms) {
      const haystack = form.toLowerCase();
      for (const needle of needles) {
        if (haystack.includes(needle.form)) found.add(`${table}.${column}: ${needle.name}`);
      }
    }
  }
  return [...found].sort();
}
