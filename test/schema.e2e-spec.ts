import { DataSource } from 'typeorm';
import { TestApp, startApp } from './support/app';

describe('The database schema', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('is exactly what the entities describe once the migrations have run', async () => {
    const pending = await t.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has no pending migration after start-up', async () => {
    expect(await t.app.get(DataSource).showMigrations()).toBe(false);
  });
});
