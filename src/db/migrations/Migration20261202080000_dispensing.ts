import { Migration } from '@mikro-orm/migrations';

/**
 * Dispensing (issue 13, seed 002): water purchases (M-Pesa, Paystack), their dispensing OTPs (a
 * keyed hash only) and the submitted or issued codes' hashes by id, the water stations, what the
 * gateways sent us, and the SMS log updated by delivery reports.
 */
export class Migration20261202080000_dispensing extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "water_transactions" ("transaction_reference" varchar(40) not null, "method" varchar(16) not null, "status" varchar(16) not null, "phone_number" varchar(16) null, "email" varchar(254) null, "amount_minor" int not null, "currency" varchar(3) not null, "liters" int not null, "checkout_request_id" varchar(64) null, "merchant_request_id" varchar(64) null, "receipt_number" varchar(32) null, "transaction_date" timestamptz null, "result_code" int null, "result_desc" varchar(255) null, "authorization_url" varchar(500) null, "access_code" varchar(64) null, "gateway_status" varchar(32) null, "channel" varchar(32) null, "metadata" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "water_transactions_pkey" primary key ("transaction_reference"), constraint "water_transactions_amount_positive" check ("amount_minor" > 0 and "liters" > 0), constraint "water_transactions_status_check" check ("status" in ('pending','processing','completed','failed','cancelled','timeout')), constraint "water_transactions_method_check" check ("method" in ('mpesa','paystack')));`,
    );
    this.addSql(`alter table "water_transactions" add constraint "water_transactions_checkout_request_id_unique" unique ("checkout_request_id");`);
    this.addSql(
      `create table "water_otps" ("transaction_reference" varchar(40) not null, "otp_hash" varchar(64) not null, "status" varchar(16) not null, "liters" numeric(10,3) not null, "pulses" int not null, "pulses_delivered" int not null default 0, "attempts" int not null default 0, "max_attempts" int not null, "expires_at" timestamptz not null, "station_id" varchar(64) null, "verified_at" timestamptz null, "issue" int not null default 1, "updated_at" timestamptz not null default now(), constraint "water_otps_pkey" primary key ("transaction_reference"), constraint "water_otps_status_check" check ("status" in ('active','in_progress','used','expired','blocked')));`,
    );
    this.addSql(
      `create table "water_otp_codes" ("id" uuid not null default gen_random_uuid(), "transaction_reference" varchar(40) not null, "kind" varchar(8) not null, "code_hash" varchar(64) not null, "station_id" varchar(64) null, "created_at" timestamptz not null default now(), constraint "water_otp_codes_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create table "water_stations" ("station_id" varchar(64) not null, "name" varchar(120) not null, "latitude" double precision null, "longitude" double precision null, "active" boolean not null default true, "tank_level_percent" int null, "last_seen_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "water_stations_pkey" primary key ("station_id"));`,
    );
    this.addSql(
      `create table "water_gateway_events" ("id" uuid not null default gen_random_uuid(), "source" varchar(24) not null, "dedupe_key" varchar(200) null, "transaction_reference" varchar(40) null, "outcome" varchar(16) not null, "reason" varchar(255) null, "body" jsonb null, "created_at" timestamptz not null default now(), constraint "water_gateway_events_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "water_gateway_events" add constraint "water_gateway_events_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "water_gateway_events_reference_index" on "water_gateway_events" ("transaction_reference", "created_at");`);
    this.addSql(
      `create table "water_sms_log" ("id" uuid not null default gen_random_uuid(), "message_id" varchar(80) null, "transaction_reference" varchar(40) null, "phone_number" varchar(20) not null, "status" varchar(24) not null, "failure_reason" varchar(64) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "water_sms_log_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "water_sms_log" add constraint "water_sms_log_message_id_unique" unique ("message_id");`);
  }
}
