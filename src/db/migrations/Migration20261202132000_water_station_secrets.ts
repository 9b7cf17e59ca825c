import { Migration } from '@mikro-orm/migrations';

/**
 * Water stations' own secrets (issue 13): each station signs with a secret of its own, stored
 * encrypted (AES-256-GCM under WATER_STATION_SECRET), rotated by an admin with an overlap window
 * (the old secret keeps working until `expires_at`). Each signed request's nonce is remembered for
 * the 5-minute window of its timestamp: a second use is refused.
 */
export class Migration20261202132000_water_station_secrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "water_station_secrets" ("id" uuid not null default gen_random_uuid(), "station_id" varchar(64) not null, "secret_enc" varchar(255) not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz null, constraint "water_station_secrets_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "water_station_secrets_station_index" on "water_station_secrets" ("station_id", "created_at");`);
    this.addSql(
      `create table "water_request_nonces" ("station_id" varchar(64) not null, "nonce" varchar(64) not null, "seen_at" timestamptz not null default now(), constraint "water_request_nonces_pkey" primary key ("station_id", "nonce"));`,
    );
    this.addSql(`create index "water_request_nonces_seen_index" on "water_request_nonces" ("seen_at");`);
  }
}
