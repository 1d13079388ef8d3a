import { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS: [string, string][] = [
  ['tenants', 'created_at'],
  ['tenants', 'updated_at'],
  ['users', 'created_at'],
  ['users', 'updated_at'],
  ['api_keys', 'created_at'],
  ['audit_events', 'created_at'],
];

/**
 * List cursors carry a JavaScript Date (milliseconds). Stored microseconds made rows created
 * within one millisecond of a page boundary fall out of the next page; milliseconds round-trip.
 */
export class MillisecondTimestamps1795300000000 implements MigrationInterface {
  name = 'MillisecondTimestamps1795300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE timestamptz(3)`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE timestamptz`);
    }
  }
}
