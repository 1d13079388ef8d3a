import { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionsAndAccountTokens1796000000000 implements MigrationInterface {
  name = 'SessionsAndAccountTokens1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Nobody's email has been verified by Latchkey before this: all start unverified.
    await queryRunner.query(`ALTER TABLE "users" ADD "email_verified_at" timestamptz(3)`);
    // Who added the user (null: they signed up). Such a user proves the mailbox only by
    // accepting an invitation, which also ends whatever was done with the account before.
    await queryRunner.query(`ALTER TABLE "users" ADD "invited_by" uuid`);
    await queryRunner.query(`
      CREATE TABLE "sessions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "expires_at" timestamptz(3) NOT NULL,
        "last_used_at" timestamptz(3),
        "ended_at" timestamptz(3),
        "end_reason" varchar(30),
        "user_agent" varchar(256),
        "ip" varchar(45),
        CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "sessions_tenant_id_fkey" FOREIGN KEY ("tenant_id")
          REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id")
          REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(
      `CREATE INDEX "sessions_user_created_idx" ON "sessions" ("user_id", "created_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "refresh_tokens" (
        "digest" char(64) NOT NULL,
        "session_id" uuid NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "used_at" timestamptz(3),
        CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("digest"),
        CONSTRAINT "refresh_tokens_session_id_fkey" FOREIGN KEY ("session_id")
          REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(
      `CREATE INDEX "refresh_tokens_session_id_idx" ON "refresh_tokens" ("session_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "account_tokens" (
        "digest" char(64) NOT NULL,
        "user_id" uuid NOT NULL,
        "purpose" varchar(20) NOT NULL,
        "email" varchar(254) NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        "expires_at" timestamptz(3) NOT NULL,
        "used_at" timestamptz(3),
        CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("digest"),
        CONSTRAINT "account_tokens_purpose_check"
          CHECK ("purpose" IN ('verify_email', 'invitation', 'password_reset')),
        CONSTRAINT "account_tokens_user_id_fkey" FOREIGN KEY ("user_id")
          REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(
      `CREATE INDEX "account_tokens_user_purpose_idx" ON "account_tokens" ("user_id", "purpose", "created_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "account_tokens"`);
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "invited_by"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_verified_at"`);
  }
}
