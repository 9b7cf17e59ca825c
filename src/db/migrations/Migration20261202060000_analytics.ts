import { Migration } from '@mikro-orm/migrations';

/**
 * Admin analytics at scale (issue 11): a 15-minute rollup of the journal's platform-side postings
 * (written by LedgerService in the posting's own transaction, so it always equals the journal),
 * backfilled from the journal; a log of station presence changes (offline minutes); and the
 * indexes the period queries need (1M rentals, 100k users: see docs/DESIGN-NOTES.md).
 */
export class Migration20261202060000_analytics extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "ledger_rollup" ("bucket" timestamptz not null, "account_id" uuid not null, "source" varchar(64) not null, "in_minor" bigint not null default 0, "out_minor" bigint not null default 0, "postings" int not null default 0, constraint "ledger_rollup_pkey" primary key ("bucket", "account_id", "source"));`,
    );
    this.addSql(`create index "ledger_rollup_account_bucket_index" on "ledger_rollup" ("account_id", "bucket");`);
    this.addSql(
      `insert into "ledger_rollup" ("bucket", "account_id", "source", "in_minor", "out_minor", "postings")
       select date_bin('15 minutes', e.created_at, timestamptz '2000-01-01 00:00:00+00'), p.account_id, split_part(e.idempotency_key, ':', 1),
              coalesce(sum(p.amount_minor) filter (where p.amount_minor > 0), 0), coalesce(sum(p.amount_minor) filter (where p.amount_minor < 0), 0), count(*)
       from "journal_postings" p join "journal_entries" e on e.id = p.entry_id join "ledger_accounts" a on a.id = p.account_id
       where a.owner_type <> 'user' group by 1, 2, 3;`,
    );
    this.addSql(`create index "ledger_accounts_user_dues_index" on "ledger_accounts" ("currency") where "kind" = 'wallet' and "balance_minor" < 0;`);

    this.addSql(
      `create table "station_presence_log" ("id" bigserial, "station_id" uuid not null, "online" boolean not null, "at" timestamptz not null default now(), constraint "station_presence_log_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "station_presence_log_station_at_index" on "station_presence_log" ("station_id", "at");`);
    // Each row carries the station's offline seconds from its first logged change up to the row's
    // `at`, so the offline time of any period is two index look-ups per station, however long.
    this.addSql(`alter table "station_presence_log" add column "offline_seconds_before" double precision not null default 0;`);
    this.addSql(
      `create function "station_presence_log_running_total"() returns trigger language plpgsql as $$
       declare prev record;
       begin
         select online, at, offline_seconds_before into prev from station_presence_log
           where station_id = new.station_id and at <= new.at order by at desc, id desc limit 1;
         new.offline_seconds_before := case when prev is null then 0
           else prev.offline_seconds_before + case when prev.online then 0 else extract(epoch from new.at - prev.at) end end;
         return new;
       end $$;`,
    );
    this.addSql(
      `create trigger "station_presence_log_running_total" before insert on "station_presence_log" for each row execute function "station_presence_log_running_total"();`,
    );

    // Covering: the period queries of rentals read only these columns (index-only scans).
    this.addSql(
      `create index "rentals_created_at_index" on "rentals" ("created_at") include ("user_id", "status", "station_sn", "started_at", "due_at", "returned_at", "ended_at", "failure_code");`,
    );
    this.addSql(`create index "users_created_at_index" on "users" ("created_at") include ("role", "status");`);
  }
}
