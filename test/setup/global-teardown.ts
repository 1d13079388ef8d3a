import { Client } from 'pg';
import { getTestDatabase } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const database = getTestDatabase();
  if (!database) return;
  if (database.kind === 'embedded') {
    await database.stop();
    return;
  }
  const admin = new Client({ connectionString: database.adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`);
  await admin.end();
}
