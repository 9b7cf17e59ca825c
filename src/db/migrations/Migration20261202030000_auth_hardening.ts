import { Migration } from '@mikro-orm/migrations';

/**
 * Sessions get an absolute end (refreshes never extend a session past it) and the moment their
 * second factor was last verified; admins get a TOTP enrolment (secret encrypted) and recovery
 * codes (stored as hashes). Sessions open before this end 30 days after they began.
 */
export class Migration20261202030000_auth_hardening extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "auth_sessions" add column "absolute_expires_at" timestamptz null, add column "second_factor_at" timestamptz null;`);
    this.addSql(`update "auth_sessions" set "absolute_expires_at" = "created_at" + interval '30 days';`);
    this.addSql(`alter table "auth_sessions" alter column "absolute_expires_at" set not null;`);
    this.addSql(`create index "auth_sessions_live_per_user" on "auth_sessions" ("user_id", "created_at") where "revoked_at" is null;`);
    this.addSql(
      `create table "admin_totp" ("user_id" uuid not null, "secret_enc" varchar(255) not null, "confirmed_at" timestamptz null,
        "last_counter" bigint null, "failed_attempts" int not null default 0, "locked_until" timestamptz null,
        "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(),
        constraint "admin_totp_pkey" primary key ("user_id"),
        constraint "admin_totp_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade);`,
    );
    this.addSql(
      `create table "admin_recovery_codes" ("id" uuid not null, "user_id" uuid not null, "code_hash" varchar(64) not null,
        "used_at" timestamptz null, "created_at" timestamptz not null default now(),
        constraint "admin_recovery_codes_pkey" primary key ("id"),
        constraint "admin_recovery_codes_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade);`,
    );
    this.addSql(`create unique index "admin_recovery_codes_user_hash" on "admin_recovery_codes" ("user_id", "code_hash");`);
  }
}
