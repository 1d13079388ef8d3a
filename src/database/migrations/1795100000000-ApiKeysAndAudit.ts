import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiKeysAndAudit1795100000000 implements MigrationInterface {
  name = 'ApiKeysAndAudit1795100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "api_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "name" varchar(100) NOT NULL,
        "environment" varchar(4) NOT NULL,
        "digest" char(64) NOT NULL,
        "hint" varchar(40) NOT NULL,
        "scopes" text array,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz,
        "revoked_at" timestamptz,
        "last_used_at" timestamptz,
        "replaced_by_id" uuid,
        CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "api_keys_environment_check" CHECK ("environment" IN ('live', 'test')),
        CONSTRAINT "api_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id")
          REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "api_keys_user_id_fkey" FOREIGN KEY ("user_id")
          REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "api_keys_digest_key" ON "api_keys" ("digest")`);
    await queryRunner.query(
      `CREATE INDEX "api_keys_tenant_user_idx" ON "api_keys" ("tenant_id", "user_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "audit_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "action" varchar(50) NOT NULL,
        "actor_user_id" uuid,
        "actor_api_key_id" uuid,
        "target_type" varchar(30) NOT NULL,
        "target_id" uuid NOT NULL,
        "details" jsonb NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_tenant_created_idx" ON "audit_events" ("tenant_id", "created_at", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
  }
}
