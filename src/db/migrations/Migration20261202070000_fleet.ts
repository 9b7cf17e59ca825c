import { Migration } from '@mikro-orm/migrations';

/**
 * Fleet (seed 004, issue 12): dealers, admins and technicians (each an identity user with a fleet
 * role), consumers with masked KYC, batteries as devices with their telemetry, loan applications
 * and their NBFC webhooks (de-duplicated by event id), loans and their EMI instalments in paise.
 */
export class Migration20261202070000_fleet extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "fleet_members" ("id" uuid not null default gen_random_uuid(), "user_id" uuid null, "phone" varchar(16) not null, "user_type" varchar(16) not null, "name" varchar(120) not null, "location" varchar(80) null, "skills" text[] not null default '{}', "available" boolean not null default true, "created_at" timestamptz not null default now(), constraint "fleet_members_pkey" primary key ("id"), constraint "fleet_members_phone_unique" unique ("phone"), constraint "fleet_members_type_check" check ("user_type" in ('dealer','admin','technician')));`,
    );
    this.addSql(`create unique index "fleet_members_user_unique" on "fleet_members" ("user_id") where "user_id" is not null;`);
    this.addSql(
      `create table "fleet_consumers" ("id" serial primary key, "dealer_id" uuid not null references "fleet_members" ("id"), "name" varchar(120) not null, "phone" varchar(16) not null, "kyc_status" varchar(16) not null default 'pending', "pan" varchar(10) null, "aadhaar_masked" varchar(14) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "fleet_consumers_dealer_phone_unique" unique ("dealer_id", "phone"), constraint "fleet_consumers_kyc_check" check ("kyc_status" in ('pending','submitted','verified','rejected')));`,
    );
    this.addSql(
      `create table "fleet_consumer_documents" ("id" serial primary key, "consumer_id" int not null references "fleet_consumers" ("id"), "document_type" varchar(32) not null, "document_url" varchar(2048) not null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(
      `create table "fleet_batteries" ("id" serial primary key, "serial_number" varchar(64) not null, "dealer_id" uuid null references "fleet_members" ("id"), "owner_id" int null references "fleet_consumers" ("id"), "status" varchar(16) not null default 'active', "pending_action" varchar(16) null, "health_score" int not null default 100, "soc" int null, "temperature_c" numeric(5,1) null, "lat" double precision null, "lng" double precision null, "online" boolean not null default false, "last_seen_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "fleet_batteries_serial_unique" unique ("serial_number"), constraint "fleet_batteries_status_check" check ("status" in ('active','inactive','maintenance')), constraint "fleet_batteries_health_check" check ("health_score" between 0 and 100));`,
    );
    this.addSql(`create index "fleet_batteries_dealer_index" on "fleet_batteries" ("dealer_id");`);
    this.addSql(
      `create table "fleet_loan_applications" ("id" serial primary key, "dealer_id" uuid not null references "fleet_members" ("id"), "consumer_id" int not null references "fleet_consumers" ("id"), "battery_id" int not null references "fleet_batteries" ("id"), "amount_paise" bigint not null, "tenure_months" int not null, "status" varchar(24) not null default 'submitted', "nbfc_reference" varchar(64) null, "approved_amount_paise" bigint null, "interest_rate" numeric(5,2) null, "decided_by" varchar(16) null, "decided_at" timestamptz null, "reason" varchar(255) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "fleet_loan_applications_amount_check" check ("amount_paise" > 0 and "tenure_months" between 1 and 60));`,
    );
    this.addSql(`create index "fleet_loan_applications_consumer_index" on "fleet_loan_applications" ("consumer_id");`);
    this.addSql(
      `create table "fleet_nbfc_webhook_events" ("event_id" varchar(100) not null, "application_id" int not null, "status" varchar(24) not null, "payload" jsonb not null, "received_at" timestamptz not null default now(), constraint "fleet_nbfc_webhook_events_pkey" primary key ("event_id"));`,
    );
    this.addSql(
      `create table "fleet_loans" ("id" serial primary key, "application_id" int not null references "fleet_loan_applications" ("id"), "dealer_id" uuid not null, "consumer_id" int not null, "battery_id" int not null, "principal_paise" bigint not null, "interest_rate" numeric(5,2) not null, "tenure_months" int not null, "emi_paise" bigint not null, "status" varchar(16) not null default 'current', "disbursed_at" timestamptz not null default now(), "closed_at" timestamptz null, constraint "fleet_loans_application_unique" unique ("application_id"));`,
    );
    this.addSql(
      `create table "fleet_emi_instalments" ("loan_id" int not null references "fleet_loans" ("id"), "seq" int not null, "due_date" date not null, "emi_paise" bigint not null, "principal_paise" bigint not null, "interest_paise" bigint not null, "late_fee_paise" bigint not null default 0, "paid_paise" bigint not null default 0, "status" varchar(16) not null default 'upcoming', "paid_at" timestamptz null, "payment_link_id" varchar(64) null, constraint "fleet_emi_instalments_pkey" primary key ("loan_id", "seq"));`,
    );
    this.addSql(`create index "fleet_emi_instalments_status_index" on "fleet_emi_instalments" ("status", "due_date");`);
  }
}
