import { Migration } from '@mikro-orm/migrations';
import { DEFAULT_CONTENT_PAGES, DEFAULT_FAQ } from './engagement-defaults';

/**
 * Issue 3 (everything but authentication): profiles, KYC, media uploads, app versions, banners,
 * favorites, station issue reports, content pages, FAQ, in-app notifications and the FCM log.
 * Nearby search uses cube + earthdistance with a GiST index on ll_to_earth(lat, lng).
 */
export class Migration20261123000200_engagement extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists cube;`);
    this.addSql(`create extension if not exists earthdistance;`);
    this.addSql(`create index "stations_earth_gist" on "stations" using gist (ll_to_earth("latitude", "longitude"));`);

    this.addSql(
      `create table "user_profiles" ("user_id" uuid not null, "full_name" varchar(120) null, "date_of_birth" date null, "gender" varchar(16) null, "avatar_url" varchar(1024) null, "address_line" varchar(255) null, "city" varchar(100) null, "district" varchar(100) null, "province" varchar(64) null, "postal_code" varchar(16) null, "country_code" varchar(2) not null default 'NP', "preferred_language" varchar(8) not null default 'en', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "user_profiles_pkey" primary key ("user_id"), constraint "user_profiles_gender_check" check ("gender" in ('male', 'female', 'other')));`,
    );
    this.addSql(
      `alter table "user_profiles" add constraint "user_profiles_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `create table "kyc_submissions" ("id" uuid not null, "user_id" uuid not null, "document_type" varchar(32) not null default 'citizenship', "citizenship_number" varchar(32) not null, "full_name" varchar(120) null, "issued_district" varchar(100) null, "issued_date" date null, "document_front_url" varchar(1024) not null, "document_back_url" varchar(1024) not null, "status" varchar(16) not null default 'pending', "rejection_reason" varchar(500) null, "reviewed_by" uuid null, "reviewed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "kyc_submissions_pkey" primary key ("id"), constraint "kyc_submissions_status_check" check ("status" in ('pending', 'approved', 'rejected')));`,
    );
    this.addSql(
      `alter table "kyc_submissions" add constraint "kyc_submissions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "kyc_submissions_user_created_index" on "kyc_submissions" ("user_id", "created_at" desc);`);
    this.addSql(`create index "kyc_submissions_status_created_index" on "kyc_submissions" ("status", "created_at");`);
    // At most one open (pending or approved) submission per user; a citizenship number verifies one user.
    this.addSql(`create unique index "kyc_submissions_one_open_per_user" on "kyc_submissions" ("user_id") where "status" in ('pending', 'approved');`);
    this.addSql(`create unique index "kyc_submissions_citizenship_approved" on "kyc_submissions" ("citizenship_number") where "status" = 'approved';`);

    this.addSql(
      `create table "media_uploads" ("id" uuid not null, "user_id" uuid null, "storage" varchar(16) not null, "storage_key" varchar(512) not null, "url" varchar(1024) not null, "mime_type" varchar(64) not null, "kind" varchar(16) not null, "size_bytes" int not null, "original_name" varchar(255) null, "purpose" varchar(32) not null default 'other', "created_at" timestamptz not null default now(), constraint "media_uploads_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "media_uploads" add constraint "media_uploads_url_unique" unique ("url");`);
    this.addSql(`create index "media_uploads_user_created_index" on "media_uploads" ("user_id", "created_at" desc);`);

    this.addSql(
      `create table "app_versions" ("platform" varchar(16) not null, "latest_version" varchar(32) not null, "minimum_version" varchar(32) not null, "store_url" varchar(512) null, "release_notes" text null, "updated_at" timestamptz not null default now(), constraint "app_versions_pkey" primary key ("platform"));`,
    );
    this.addSql(`insert into "app_versions" ("platform", "latest_version", "minimum_version", "store_url", "release_notes") values
      ('android', '1.0.0', '1.0.0', 'https://play.google.com/store/apps/details?id=com.chargeghar.app', 'First release.'),
      ('ios', '1.0.0', '1.0.0', 'https://apps.apple.com/app/chargeghar/id0000000000', 'First release.');`);

    this.addSql(
      `create table "banners" ("id" uuid not null, "title" varchar(160) not null, "subtitle" varchar(255) null, "image_url" varchar(1024) not null, "redirect_url" varchar(1024) null, "sort_order" int not null default 0, "active" boolean not null default true, "starts_at" timestamptz null, "ends_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "banners_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "banners_active_sort_index" on "banners" ("active", "sort_order");`);

    this.addSql(
      `create table "station_favorites" ("user_id" uuid not null, "station_id" uuid not null, "created_at" timestamptz not null default now(), constraint "station_favorites_pkey" primary key ("user_id", "station_id"));`,
    );
    this.addSql(
      `alter table "station_favorites" add constraint "station_favorites_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "station_favorites" add constraint "station_favorites_station_id_foreign" foreign key ("station_id") references "stations" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `create table "station_issue_reports" ("id" uuid not null, "station_id" uuid not null, "user_id" uuid null, "type" varchar(32) not null, "description" varchar(1000) null, "image_urls" jsonb not null default '[]', "status" varchar(16) not null default 'open', "resolution_note" varchar(500) null, "resolved_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "station_issue_reports_pkey" primary key ("id"), constraint "station_issue_reports_status_check" check ("status" in ('open', 'acknowledged', 'resolved', 'dismissed')));`,
    );
    this.addSql(
      `alter table "station_issue_reports" add constraint "station_issue_reports_station_id_foreign" foreign key ("station_id") references "stations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "station_issue_reports" add constraint "station_issue_reports_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(`create index "station_issue_reports_station_created_index" on "station_issue_reports" ("station_id", "created_at" desc);`);
    this.addSql(`create index "station_issue_reports_user_created_index" on "station_issue_reports" ("user_id", "created_at" desc);`);

    this.addSql(
      `create table "content_pages" ("slug" varchar(64) not null, "title" varchar(160) not null, "body" text not null, "data" jsonb not null default '{}', "updated_by" uuid null, "updated_at" timestamptz not null default now(), constraint "content_pages_pkey" primary key ("slug"));`,
    );
    for (const page of DEFAULT_CONTENT_PAGES) {
      this.addSql(
        `insert into "content_pages" ("slug", "title", "body", "data") values (${lit(page.slug)}, ${lit(page.title)}, ${lit(page.body)}, ${lit(JSON.stringify(page.data))}::jsonb);`,
      );
    }

    this.addSql(
      `create table "faq_items" ("id" uuid not null, "question" varchar(300) not null, "answer" text not null, "category" varchar(64) not null default 'general', "sort_order" int not null default 0, "active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "faq_items_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "faq_items_category_sort_index" on "faq_items" ("category", "sort_order");`);
    DEFAULT_FAQ.forEach((f, i) => {
      this.addSql(
        `insert into "faq_items" ("id", "question", "answer", "category", "sort_order") values (gen_random_uuid(), ${lit(f.question)}, ${lit(f.answer)}, ${lit(f.category)}, ${(i + 1) * 10});`,
      );
    });

    this.addSql(
      `create table "notifications" ("id" uuid not null, "user_id" uuid not null, "type" varchar(48) not null, "title" varchar(200) not null, "body" text not null, "data" jsonb not null default '{}', "in_app" boolean not null default true, "push" boolean not null default false, "dedupe_key" varchar(160) null, "read_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "notifications_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`alter table "notifications" add constraint "notifications_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "notifications_user_created_index" on "notifications" ("user_id", "created_at" desc) where "in_app";`);
    this.addSql(`create index "notifications_user_unread_index" on "notifications" ("user_id") where "in_app" and "read_at" is null;`);

    // One row per push notification, written before anything is sent; per-device results in `results`.
    this.addSql(
      `create table "fcm_logs" ("id" uuid not null, "notification_id" uuid not null, "user_id" uuid not null, "title" varchar(200) not null, "body" text not null, "data" jsonb not null default '{}', "status" varchar(16) not null default 'queued', "tokens" jsonb not null default '[]', "results" jsonb not null default '{}', "attempts" int not null default 0, "error" varchar(500) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "sent_at" timestamptz null, constraint "fcm_logs_pkey" primary key ("id"), constraint "fcm_logs_status_check" check ("status" in ('queued', 'sending', 'sent', 'partial', 'recorded', 'no_device', 'failed')));`,
    );
    this.addSql(`alter table "fcm_logs" add constraint "fcm_logs_notification_id_unique" unique ("notification_id");`);
    this.addSql(
      `alter table "fcm_logs" add constraint "fcm_logs_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "fcm_logs_user_created_index" on "fcm_logs" ("user_id", "created_at" desc);`);
    this.addSql(`create index "fcm_logs_status_index" on "fcm_logs" ("status");`);
  }
}

/** A SQL string literal for the seeded defaults (constants of ours, not input). */
function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
