import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 11 (admin: users, stations, system; promotions):
 * - users get the reason, time and admin of their last status change (`active`, `banned`, `suspended`);
 * - stations get their QR code (the human-readable id the seed maps to the IMEI);
 * - coupons and their redemptions (promotions); `used_count` is the number of redemptions,
 *   kept in the redemption's transaction under the coupon's row lock;
 * - the admin audit log and recent error events (audit);
 * - broadcasts (engagement): one row per broadcast id, its progress, and one notification per
 *   user and broadcast (`dedupe_key` `broadcast:<id>:<user>`).
 */
export class Migration20261202050000_admin_promotions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "status_reason" varchar(255) null, add column "status_changed_at" timestamptz null,
      add column "status_changed_by" uuid null;`);
    this.addSql(`alter table "stations" add column "qr_code" varchar(64) null;`);
    this.addSql(`create unique index "stations_qr_code_unique" on "stations" ("qr_code") where "qr_code" is not null;`);

    this.addSql(`create table "coupons" ("id" uuid not null, "code" varchar(32) not null, "title" varchar(120) not null,
      "points" int not null, "starts_at" timestamptz null, "expires_at" timestamptz not null, "active" boolean not null default true,
      "total_limit" int null, "per_user_limit" int not null default 1, "used_count" int not null default 0,
      "created_by" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(),
      constraint "coupons_pkey" primary key ("id"), constraint "coupons_code_unique" unique ("code"),
      constraint "coupons_limits" check ("points" > 0 and "per_user_limit" >= 1 and ("total_limit" is null or "total_limit" >= 1)),
      constraint "coupons_used_within_limit" check ("total_limit" is null or "used_count" <= "total_limit"));`);
    this.addSql(`create table "coupon_redemptions" ("id" uuid not null, "coupon_id" uuid not null, "user_id" uuid not null,
      "seq" int not null, "points" int not null, "entry_id" uuid null, "created_at" timestamptz not null default now(),
      constraint "coupon_redemptions_pkey" primary key ("id"),
      constraint "coupon_redemptions_coupon_id_foreign" foreign key ("coupon_id") references "coupons" ("id"),
      constraint "coupon_redemptions_once" unique ("coupon_id", "user_id", "seq"));`);
    this.addSql(`create index "coupon_redemptions_user_id_index" on "coupon_redemptions" ("user_id", "created_at");`);

    this.addSql(`create table "admin_audit_log" ("id" bigserial, "actor_id" uuid null, "actor_role" varchar(32) null,
      "action" varchar(120) not null, "target_type" varchar(48) null, "target_id" varchar(120) null, "request_id" varchar(64) null,
      "status" int not null, "before" jsonb null, "after" jsonb null, "details" jsonb null, "created_at" timestamptz not null default now(),
      constraint "admin_audit_log_pkey" primary key ("id"));`);
    this.addSql(`create index "admin_audit_log_created_at_index" on "admin_audit_log" ("created_at");`);
    this.addSql(`create index "admin_audit_log_target_index" on "admin_audit_log" ("target_type", "target_id", "created_at");`);
    this.addSql(`create index "admin_audit_log_actor_index" on "admin_audit_log" ("actor_id", "created_at");`);
    this.addSql(`create table "system_error_events" ("id" bigserial, "request_id" varchar(64) null, "method" varchar(8) null,
      "path" varchar(255) null, "status" int not null, "code" varchar(64) not null, "message" varchar(500) not null,
      "created_at" timestamptz not null default now(), constraint "system_error_events_pkey" primary key ("id"));`);
    this.addSql(`create index "system_error_events_created_at_index" on "system_error_events" ("created_at");`);

    this.addSql(`create table "broadcasts" ("id" uuid not null, "title" varchar(200) not null, "body" text not null,
      "segment" jsonb not null default '{}', "status" varchar(16) not null default 'running', "created_by" uuid not null,
      "delivered" int not null default 0, "batches" int not null default 0, "cursor" uuid null,
      "created_at" timestamptz not null default now(), "completed_at" timestamptz null, constraint "broadcasts_pkey" primary key ("id"));`);
  }
}
