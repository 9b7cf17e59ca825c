import { Migration } from '@mikro-orm/migrations';

/**
 * Social (issue 11): achievements (admin-defined criteria and points reward), each user's unlocks
 * (one per user and achievement: the primary key), the social events that feed the leaderboard
 * (one per cause: a settled rental, a completed referral, a top-up, an unlock) and each user's
 * running totals with their score (all-time leaderboard from an index).
 */
export class Migration20261202060010_social extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "achievements" ("id" uuid not null, "code" varchar(64) not null, "name" varchar(120) not null, "description" varchar(500) null, "criteria_type" varchar(32) not null, "threshold" int not null, "reward_points" int not null default 0, "active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "achievements_pkey" primary key ("id"), constraint "achievements_threshold_positive" check ("threshold" > 0 and "reward_points" >= 0));`,
    );
    this.addSql(`alter table "achievements" add constraint "achievements_code_unique" unique ("code");`);
    this.addSql(
      `create table "user_achievements" ("user_id" uuid not null, "achievement_id" uuid not null, "unlocked_at" timestamptz not null default now(), "points_awarded" int not null default 0, constraint "user_achievements_pkey" primary key ("user_id", "achievement_id"));`,
    );
    this.addSql(`create index "user_achievements_achievement_index" on "user_achievements" ("achievement_id");`);
    this.addSql(
      `create table "social_events" ("key" varchar(200) not null, "user_id" uuid not null, "kind" varchar(16) not null, "rentals" int not null default 0, "timely" int not null default 0, "late" int not null default 0, "referrals" int not null default 0, "topups" int not null default 0, "points" int not null default 0, "at" timestamptz not null default now(), constraint "social_events_pkey" primary key ("key"));`,
    );
    this.addSql(`create index "social_events_at_index" on "social_events" ("at", "user_id");`);
    this.addSql(
      `create table "social_stats" ("user_id" uuid not null, "rentals" int not null default 0, "timely" int not null default 0, "late" int not null default 0, "referrals" int not null default 0, "topups" int not null default 0, "points" int not null default 0, "score" int not null default 0, "updated_at" timestamptz not null default now(), constraint "social_stats_pkey" primary key ("user_id"));`,
    );
    this.addSql(`create index "social_stats_score_index" on "social_stats" ("score" desc, "user_id");`);
  }
}
