import { Migration } from '@mikro-orm/migrations';

/**
 * OTP codes are checked inside an activity (issue 10 item 3): the API records each typed code's
 * keyed hash as an `otp_attempts` row and the workflow only ever sees the attempt's id. The rows
 * also count failed verifications per identifier across challenges (item 4); past the daily cap the
 * identifier is locked in `otp_identifier_locks`, with a back-off that doubles per lock.
 */
export class Migration20261202020000_otp_guard extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "otp_attempts" ("id" uuid not null, "challenge_id" uuid not null, "identifier" varchar(254) not null, "code_hash" varchar(64) null, "outcome" varchar(16) null, "created_at" timestamptz not null default now(), "checked_at" timestamptz null, constraint "otp_attempts_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "otp_attempts" add constraint "otp_attempts_challenge_id_foreign" foreign key ("challenge_id") references "otp_challenges" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "otp_attempts_identifier_failures" on "otp_attempts" ("identifier", "checked_at") where "outcome" = 'mismatch';`);
    this.addSql(
      `create table "otp_identifier_locks" ("identifier" varchar(254) not null, "id" uuid not null default gen_random_uuid(), "locked_at" timestamptz not null default now(), "locked_until" timestamptz not null, "lock_count" int not null default 1, "failures" int not null, "released_by" uuid null, constraint "otp_identifier_locks_pkey" primary key ("identifier"));`,
    );
    this.addSql(`alter table "otp_identifier_locks" add constraint "otp_identifier_locks_id_unique" unique ("id");`);
  }
}
