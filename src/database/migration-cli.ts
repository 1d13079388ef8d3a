import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '@/config/load-config';
import { dataSourceOptions } from './data-source-options';
import { DatabaseConnectionTarget } from './database-target';
import { runMigrations } from './run-migrations';

/**
 * `run`, `revert`, or `generate <Name>` against the configured database (DATABASE_URL, or the
 * embedded one in DATA_DIR). `generate` diffs the entities against the migrated schema and
 * writes the difference as a new migration under src/database/migrations.
 */
async function main(command: string | undefined, name: string | undefined): Promise<void> {
  const target = await DatabaseConnectionTarget.resolve(loadConfig());
  const dataSource = await new DataSource(dataSourceOptions(target)).initialize();
  try {
    if (command === 'run') {
      const applied = await runMigrations(dataSource);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration');
    } else if (command === 'generate' && name && /^[A-Z][A-Za-z0-9]+$/.test(name)) {
      await runMigrations(dataSource);
      await generate(dataSource, name);
    } else {
      console.error('Usage: migration-cli run | revert | generate <PascalCaseName>');
      process.exitCode = 2;
    }
  } finally {
    await dataSource.destroy();
    await target.close();
  }
}

async function generate(dataSource: DataSource, name: string): Promise<void> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    console.log('Entities and schema agree: nothing to generate');
    return;
  }
  const timestamp = Date.now();
  const quote = (query: string) => `    await queryRunner.query(${JSON.stringify(query)});`;
  const source = [
    "import { MigrationInterface, QueryRunner } from 'typeorm';",
    '',
    `export class ${name}${timestamp} implements MigrationInterface {`,
    `  name = '${name}${timestamp}';`,
    '',
    '  public async up(queryRunner: QueryRunner): Promise<void> {',
    ...sql.upQueries.map((query) => quote(query.query)),
    '  }',
    '',
    '  public async down(queryRunner: QueryRunner): Promise<void> {',
    ...sql.downQueries.reverse().map((query) => quote(query.query)),
    '  }',
    '}',
    '',
  ].join('\n');
  const file = join(process.cwd(), 'src', 'database', 'migrations', `${timestamp}-${name}.ts`);
  writeFileSync(file, source);
  console.log(`Wrote ${file}`);
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
