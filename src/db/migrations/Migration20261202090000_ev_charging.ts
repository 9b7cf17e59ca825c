import { Migration } from '@mikro-orm/migrations';

/**
 * EV charging (issue 14, seed 000): chargers (a GiST index on their point answers the app's
 * bounding-box search at 100,000 chargers) and charging sessions (one open per charger and one
 * per user; feedback on the row).
 */
export class Migration20261202090000_ev_charging extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "ev_chargers" ("id" varchar(24) not null, "device_number" varchar(64) not null, "price" int not null, "waiting_price" int not null, "lng" double precision not null, "lat" double precision not null, "state" varchar(8) not null default 'Error', "ocpp_status" varchar(16) null, "connected" boolean not null default false, "repair" boolean not null default false, "password_hash" varchar(200) not null, "last_seen_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "ev_chargers_pkey" primary key ("id"), constraint "ev_chargers_prices" check ("price" >= 0 and "waiting_price" >= 0), constraint "ev_chargers_location" check ("lng" between -180 and 180 and "lat" between -90 and 90));`,
    );
    this.addSql(`alter table "ev_chargers" add constraint "ev_chargers_device_number_unique" unique ("device_number");`);
    this.addSql(`create index "ev_chargers_location_gist" on "ev_chargers" using gist (point("lng", "lat"));`);
    this.addSql(
      `create table "ev_purchases" ("id" varchar(24) not null, "user_id" uuid not null, "charger_id" varchar(24) not null, "status" varchar(16) not null default 'starting', "hold_amount" int not null default 0, "transaction_id" int null, "meter_start" int null, "meter_last" int null, "meter_stop" int null, "price" int not null default 0, "waiting_price" int not null default 0, "waiting_minutes" int not null default 0, "amount" int not null default 0, "stop_reason" varchar(16) null, "flagged" boolean not null default false, "feedback_score" smallint null, "feedback_description" varchar(1000) null, "feedback_at" timestamptz null, "created_at" timestamptz not null default now(), "ended_at" timestamptz null, constraint "ev_purchases_pkey" primary key ("id"), constraint "ev_purchases_feedback_score" check ("feedback_score" between 1 and 5));`,
    );
    this.addSql(`create index "ev_purchases_user_id_index" on "ev_purchases" ("user_id");`);
    this.addSql(
      `create unique index "ev_purchases_open_per_charger" on "ev_purchases" ("charger_id") where "status" in ('starting', 'charging', 'finishing');`,
    );
    this.addSql(`create unique index "ev_purchases_open_per_user" on "ev_purchases" ("user_id") where "status" in ('starting', 'charging', 'finishing');`);
    this.addSql(`create sequence "ev_ocpp_transaction_seq";`);
  }
}
