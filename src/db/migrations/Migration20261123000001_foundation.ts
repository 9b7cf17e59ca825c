import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000001_foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "device_commands" ("id" varchar(128) not null, "station_sn" varchar(64) not null, "type" varchar(32) not null, "payload" jsonb null, "status" varchar(16) not null default 'sent', "error" varchar(255) null, "requested_by" varchar(64) null, "created_at" timestamptz not null default now(), "completed_at" timestamptz null, constraint "device_commands_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "device_commands_station_sn_index" on "device_commands" ("station_sn");`);

    this.addSql(
      `create table "rental_packages" ("id" uuid not null, "code" varchar(64) not null, "name" varchar(120) not null, "duration_minutes" int not null, "price_minor" int not null, "currency" varchar(3) not null default 'NPR', "payment_model" varchar(16) not null default 'both', "active" boolean not null default true, constraint "rental_packages_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "rental_packages" add constraint "rental_packages_code_unique" unique ("code");`);

    this.addSql(
      `create table "stations" ("id" uuid not null, "sn" varchar(64) not null, "imei" varchar(64) null, "name" varchar(160) not null, "address" varchar(255) null, "latitude" double precision not null, "longitude" double precision not null, "slot_count" int not null, "online" boolean not null default false, "last_seen_at" timestamptz null, "maintenance" boolean not null default false, "status" varchar(16) not null default 'active', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "stations_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "stations" add constraint "stations_sn_unique" unique ("sn");`);
    this.addSql(`alter table "stations" add constraint "stations_imei_unique" unique ("imei");`);

    this.addSql(
      `create table "slots" ("id" uuid not null, "station_id" uuid not null, "index" int not null, "status" varchar(16) not null default 'empty', "power_bank_sn" varchar(64) null, "battery_level" int null, "updated_at" timestamptz not null default now(), constraint "slots_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "slots" add constraint "slots_station_id_index_unique" unique ("station_id", "index");`);

    this.addSql(
      `create table "power_banks" ("id" uuid not null, "sn" varchar(64) not null, "status" varchar(16) not null default 'available', "battery_level" int not null default 100, "station_id" uuid null, "slot_index" int null, "price_minor" int not null default 200000, "updated_at" timestamptz not null default now(), constraint "power_banks_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "power_banks" add constraint "power_banks_sn_unique" unique ("sn");`);

    this.addSql(
      `create table "users" ("id" uuid not null, "phone" varchar(32) null, "email" varchar(254) null, "username" varchar(64) null, "role" varchar(16) not null default 'customer', "status" varchar(16) not null default 'active', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "users_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_phone_unique" unique ("phone");`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`alter table "users" add constraint "users_username_unique" unique ("username");`);

    this.addSql(
      `alter table "slots" add constraint "slots_station_id_foreign" foreign key ("station_id") references "stations" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "power_banks" add constraint "power_banks_station_id_foreign" foreign key ("station_id") references "stations" ("id") on update cascade on delete set null;`,
    );
  }
}
