const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID as PostgreSQL prints them (any case): anything else would make a uuid column throw. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
