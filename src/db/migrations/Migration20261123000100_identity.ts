import { Migration } from '@mikro-orm/migrations';

/**
 * Identity: OTP challenges (code kept only as a keyed hash), the per-identifier resend gate,
 * single-use verification tokens (hash only), sessions with rotating refresh tokens, devices
 * (FCM) and the shared rate-limit counters.
 */
export class Migration20261123000100_identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" alter column "role" type varchar(32);`);
    this.addSql(
      `alter table "users" add column "referred_by_code" varchar(32) null, add column "last_login_at" timestamptz null, add column "deleted_at" timestamptz null;`,
    );

    this.addSql(
      `create table "otp_challenges" ("id" uuid not null, "identifier" varchar(254) not null, "channel" varchar(8) not null, "purpose" varchar(16) null, "status" varchar(16) not null default 'pending', "code_hash" varchar(64) null, "attempts" int not null default 0, "send_attempts" int not null default 0, "last_error" varchar(255) null, "request_ip" varchar(64) null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "sent_at" timestamptz null, "verified_at" timestamptz null, "closed_at" timestamptz null, constraint "otp_challenges_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "otp_challenges_identifier_index" on "otp_challenges" ("identifier", "created_at");`);

    this.addSql(
      `create table "otp_request_gates" ("identifier" varchar(254) not null, "challenge_id" uuid not null, "requested_at" timestamptz not null default now(), constraint "otp_request_gates_pkey" primary key ("identifier"));`,
    );

    this.addSql(
      `create table "verification_tokens" ("id" uuid not null, "token_hash" varchar(64) not null, "challenge_id" uuid not null, "identifier" varchar(254) not null, "channel" varchar(8) not null, "purpose" varchar(16) null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "consumed_at" timestamptz null, "consumed_for" varchar(16) null, constraint "verification_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "verification_tokens" add constraint "verification_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "verification_tokens" add constraint "verification_tokens_challenge_id_unique" unique ("challenge_id");`);
    this.addSql(
      `alter table "verification_tokens" add constraint "verification_tokens_challenge_id_foreign" foreign key ("challenge_id") references "otp_challenges" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `create table "auth_sessions" ("id" uuid not null, "user_id" uuid not null, "created_at" timestamptz not null default now(), "last_refreshed_at" timestamptz null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoke_reason" varchar(32) null, "ip" varchar(64) null, "user_agent" varchar(255) null, constraint "auth_sessions_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "auth_sessions_user_id_index" on "auth_sessions" ("user_id");`);
    this.addSql(
      `alter table "auth_sessions" add constraint "auth_sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `create table "refresh_tokens" ("id" uuid not null, "session_id" uuid not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "used_at" timestamptz null, "replaced_by" uuid null, constraint "refresh_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "refresh_tokens_session_id_index" on "refresh_tokens" ("session_id");`);
    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_session_id_foreign" foreign key ("session_id") references "auth_sessions" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `create table "user_devices" ("id" uuid not null, "user_id" uuid not null, "session_id" uuid null, "fcm_token" varchar(512) not null, "device_id" varchar(128) null, "platform" varchar(16) not null, "model" varchar(120) null, "os_version" varchar(40) null, "app_version" varchar(40) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "user_devices_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "user_devices" add constraint "user_devices_fcm_token_unique" unique ("fcm_token");`);
    this.addSql(`create index "user_devices_user_id_index" on "user_devices" ("user_id");`);
    this.addSql(
      `alter table "user_devices" add constraint "user_devices_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "user_devices" add constraint "user_devices_session_id_foreign" foreign key ("session_id") references "auth_sessions" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `create table "rate_limit_counters" ("key" varchar(200) not null, "hits" int not null, "reset_at" timestamptz not null, constraint "rate_limit_counters_pkey" primary key ("key"));`,
    );
  }
}
