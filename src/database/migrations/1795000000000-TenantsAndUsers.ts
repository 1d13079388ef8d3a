import { MigrationInterface, QueryRunner } from 'typeorm';

export class TenantsAndUsers1795000000000 implements MigrationInterface {
  name = 'TenantsAndUsers1795000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "tenants" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" varchar(100) NOT NULL,
        "plan" varchar(20) NOT NULL DEFAULT 'standard',
        "status" varchar(20) NOT NULL DEFAULT 'active',
        "requests_per_minute" integer,
        "max_active_keys_per_user" integer,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "tenants_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "tenants_plan_check" CHECK ("plan" IN ('standard', 'enterprise')),
        CONSTRAINT "tenants_status_check" CHECK ("status" IN ('active', 'suspended'))
      )`);
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "email" varchar(254) NOT NULL,
        "name" varchar(100),
        "role" varchar(20) NOT NULL,
        "status" varchar(20) NOT NULL DEFAULT 'active',
        "password_hash" text,
        "external_issuer" text,
        "external_subject" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "users_role_check" CHECK ("role" IN ('admin', 'member', 'viewer')),
        CONSTRAINT "users_status_check" CHECK ("status" IN ('active', 'deactivated')),
        CONSTRAINT "users_tenant_id_fkey" FOREIGN KEY ("tenant_id")
          REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "users_email_key" ON "users" ("email")`);
    await queryRunner.query(`CREATE INDEX "users_tenant_id_idx" ON "users" ("tenant_id")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "users_external_identity_key" ON "users" ("external_issuer", "external_subject")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "tenants"`);
  }
}
