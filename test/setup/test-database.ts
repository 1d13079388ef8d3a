export type TestDatabase =
  | { kind: 'embedded'; url: string; stop: () => Promise<void> }
  | { kind: 'postgres'; url: string; adminUrl: string; name: string };

const KEY = Symbol.for('latchkey.testDatabase');
type Holder = { [KEY]?: TestDatabase };

/** Global setup and teardown run in the same process; this hands the database between them. */
export function setTestDatabase(database: TestDatabase): void {
  (globalThis as Holder)[KEY] = database;
}

export function getTestDatabase(): TestDatabase | undefined {
  return (globalThis as Holder)[KEY];
}
