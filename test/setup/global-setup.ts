import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { TestDatabase, setTestDatabase } from './test-database';

/**
 * One fresh database per run, so runs never see each other's data: a new database on the
 * server named by TEST_DATABASE_URL, or else an in-memory embedded PostgreSQL (PGlite).
 * The suites read DATABASE_URL and DATABASE_POOL_SIZE from the environment this leaves.
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  let database: TestDatabase;
  if (adminUrl) {
    const name = `latchkey_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    database = { kind: 'postgres', url: url.toString(), adminUrl, name };
    process.env.DATABASE_POOL_SIZE = '10';
  } else {
    const embedded = await EmbeddedPostgres.start();
    database = { kind: 'embedded', url: embedded.url, stop: () => embedded.stop() };
    process.env.DATABASE_POOL_SIZE = '1';
  }
  process.env.DATABASE_URL = database.url;
  process.env.TEST_DATABASE_KIND = database.kind;
  setTestDatabase(database);
}
