import { Migration } from '@mikro-orm/migrations';

const OPEN = `'starting','active','overdue','cancelling'`;

/**
 * Rentals (one row per `rental:<id>` workflow) with their timeline, GPS points and issue
 * reports, and every `returned` kiosk event (matched to a rental or kept for admins).
 * Partial unique indexes: one open rental per user, and per power bank.
 */
export class Migration20261123000500_rentals extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "rentals" ("id" uuid not null, "user_id" uuid not null, "station_sn" varchar(64) not null, "slot_index" int not null, "power_bank_sn" varchar(64) not null, "package_id" uuid not null, "payment_model" varchar(16) not null, "payment_mode" varchar(16) not null, "status" varchar(16) not null default 'starting', "payment_status" varchar(16) not null default 'pending', "price_minor" bigint not null, "duration_minutes" int not null, "price_cap_minor" bigint not null, "extensions" int not null default 0, "paid_minor" bigint not null default 0, "usage_minor" bigint not null default 0, "fine_minor" bigint not null default 0, "lost_minor" bigint not null default 0, "due_minor" bigint not null default 0, "due_paid_at" timestamptz null, "failure_code" varchar(32) null, "failure_reason" varchar(255) null, "return_station_sn" varchar(64) null, "return_slot_index" int null, "started_at" timestamptz null, "due_at" timestamptz null, "returned_at" timestamptz null, "ended_at" timestamptz null, "cancel_requested_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "rentals_pkey" primary key ("id"), constraint "rentals_amounts_nonnegative" check ("price_minor" >= 0 and "paid_minor" >= 0 and "usage_minor" >= 0 and "fine_minor" >= 0 and "lost_minor" >= 0 and "due_minor" >= 0));`,
    );
    this.addSql(`alter table "rentals" add constraint "rentals_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade;`);
    this.addSql(
      `alter table "rentals" add constraint "rentals_package_id_foreign" foreign key ("package_id") references "rental_packages" ("id") on update cascade;`,
    );
    this.addSql(`create unique index "rentals_one_open_per_user" on "rentals" ("user_id") where "status" in (${OPEN});`);
    this.addSql(`create unique index "rentals_one_open_per_power_bank" on "rentals" ("power_bank_sn") where "status" in (${OPEN});`);
    this.addSql(`create index "rentals_user_id_created_at_index" on "rentals" ("user_id", "created_at");`);
    this.addSql(`create index "rentals_unpaid_due_index" on "rentals" ("user_id") where "payment_status" = 'due';`);

    this.addSql(
      `create table "rental_events" ("id" bigserial, "rental_id" uuid not null, "type" varchar(32) not null, "dedupe_key" varchar(200) not null, "data" jsonb null, "occurred_at" timestamptz not null, "created_at" timestamptz not null default now(), constraint "rental_events_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "rental_events" add constraint "rental_events_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(
      `alter table "rental_events" add constraint "rental_events_rental_id_foreign" foreign key ("rental_id") references "rentals" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "rental_events_rental_id_index" on "rental_events" ("rental_id", "id");`);

    this.addSql(
      `create table "rental_locations" ("id" bigserial, "rental_id" uuid not null, "user_id" uuid not null, "latitude" double precision not null, "longitude" double precision not null, "accuracy_m" double precision null, "recorded_at" timestamptz not null, "created_at" timestamptz not null default now(), constraint "rental_locations_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "rental_locations" add constraint "rental_locations_rental_id_foreign" foreign key ("rental_id") references "rentals" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "rental_locations_rental_id_index" on "rental_locations" ("rental_id", "recorded_at");`);

    this.addSql(
      `create table "rental_issues" ("id" uuid not null, "rental_id" uuid not null, "user_id" uuid not null, "type" varchar(32) not null, "description" varchar(1000) null, "status" varchar(16) not null default 'open', "created_at" timestamptz not null default now(), constraint "rental_issues_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "rental_issues" add constraint "rental_issues_rental_id_foreign" foreign key ("rental_id") references "rentals" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "rental_issues_rental_id_index" on "rental_issues" ("rental_id");`);

    this.addSql(
      `create table "power_bank_returns" ("id" bigserial, "event_id" varchar(128) not null, "station_sn" varchar(64) not null, "slot_index" int null, "power_bank_sn" varchar(64) not null, "battery_level" int null, "rental_id" uuid null, "outcome" varchar(16) not null, "payload" jsonb null, "received_at" timestamptz not null default now(), constraint "power_bank_returns_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "power_bank_returns" add constraint "power_bank_returns_station_event_unique" unique ("station_sn", "event_id");`);
    this.addSql(`create index "power_bank_returns_unmatched_index" on "power_bank_returns" ("received_at") where "outcome" = 'unmatched';`);
    this.addSql(`create index "power_bank_returns_power_bank_sn_index" on "power_bank_returns" ("power_bank_sn", "received_at");`);
  }
}
