import { Migration } from '@mikro-orm/migrations';

/** The day a rental counts on: its `created_at` in Asia/Kathmandu (the analytics' time zone). */
const DAY = (row: string) => `(${row}.created_at at time zone 'Asia/Kathmandu')::date`;
/** A failed eject: the kiosk's fault (no ack, or an error ack), as in the rentals module's analytics. */
const FAILED = (row: string) => `(${row}.status = 'failed' and ${row}.failure_code in ('DEVICE_TIMEOUT', 'DEVICE_ERROR'))::int`;

/**
 * The three rollup tables, rebuilt from `rentals` by set-based SQL: the migration's backfill, and
 * what `npm run bench:analytics` runs after its bulk insert (and the consistency test compares with).
 */
export const RENTAL_ACTIVITY_REBUILD = [
  `truncate "rental_days", "renter_days", "renter_day_gaps";`,
  `insert into "renter_days" ("user_id", "day", "rentals") select r.user_id, ${DAY('r')}, count(*) from rentals r group by 1, 2;`,
  `insert into "renter_day_gaps" ("day", "prev_day", "users")
   select day, prev_day, count(*) from (select day, coalesce(lag(day) over (partition by user_id order by day), '-infinity'::date) as prev_day from renter_days) g group by 1, 2;`,
  `insert into "rental_days" ("day", "rentals", "renters", "failed_ejects")
   select ${DAY('r')}, count(*), count(distinct r.user_id), sum(${FAILED('r')}) from rentals r group by 1;`,
];

/**
 * Renters per Nepali day, kept by a trigger on `rentals` in the writing transaction (so always
 * equal to the rentals themselves), for the admin dashboard and users analytics over long periods:
 * - `rental_days`: per day, rentals created, distinct renters, failed ejects;
 * - `renter_days`: per user and day, rentals created (the user's active days);
 * - `renter_day_gaps`: per day and previous active day of the same user ('-infinity' if none),
 *   how many users were active that day. Distinct renters of days A..B = users of rows with day in
 *   A..B and prev_day < A (each counted on their first day in the period); the renters of the
 *   period before (P..A-1) who came back = rows with day in A..B and P <= prev_day < A.
 * A user's changes take a transaction-scoped advisory lock on the user, so concurrent rentals of
 * one user cannot interleave their neighbour look-ups.
 */
export class Migration20261202061000_rental_activity_rollup extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "rental_days" ("day" date not null, "rentals" int not null default 0, "renters" int not null default 0, "failed_ejects" int not null default 0, constraint "rental_days_pkey" primary key ("day"));`,
    );
    this.addSql(
      `create table "renter_days" ("user_id" uuid not null, "day" date not null, "rentals" int not null, constraint "renter_days_pkey" primary key ("user_id", "day"));`,
    );
    this.addSql(
      `create table "renter_day_gaps" ("day" date not null, "prev_day" date not null, "users" int not null default 0, constraint "renter_day_gaps_pkey" primary key ("day", "prev_day"));`,
    );
    this.addSql(
      `create function "renter_day_gap_move"(d date, prev date, delta int) returns void language sql as $$
         insert into renter_day_gaps as g (day, prev_day, users) values (d, prev, delta)
         on conflict (day, prev_day) do update set users = g.users + excluded.users;
         delete from renter_day_gaps where day = d and prev_day = prev and users = 0;
       $$;`,
    );
    this.addSql(
      `create function "rental_activity_add"(u uuid, d date, failed int) returns void language plpgsql as $$
       declare prev date; nxt date; first_of_day boolean;
       begin
         perform pg_advisory_xact_lock(hashtextextended('renter_days:' || u::text, 0));
         update renter_days set rentals = rentals + 1 where user_id = u and day = d;
         first_of_day := not found;
         if first_of_day then
           insert into renter_days (user_id, day, rentals) values (u, d, 1);
           select coalesce(max(day), '-infinity'::date) into prev from renter_days where user_id = u and day < d;
           select min(day) into nxt from renter_days where user_id = u and day > d;
           perform renter_day_gap_move(d, prev, 1);
           if nxt is not null then
             perform renter_day_gap_move(nxt, prev, -1);
             perform renter_day_gap_move(nxt, d, 1);
           end if;
         end if;
         insert into rental_days as r (day, rentals, renters, failed_ejects) values (d, 1, first_of_day::int, failed)
           on conflict (day) do update set rentals = r.rentals + 1, renters = r.renters + excluded.renters, failed_ejects = r.failed_ejects + excluded.failed_ejects;
       end $$;`,
    );
    this.addSql(
      `create function "rental_activity_remove"(u uuid, d date, failed int) returns void language plpgsql as $$
       declare prev date; nxt date; left_that_day int;
       begin
         perform pg_advisory_xact_lock(hashtextextended('renter_days:' || u::text, 0));
         update renter_days set rentals = rentals - 1 where user_id = u and day = d returning rentals into left_that_day;
         if left_that_day = 0 then
           delete from renter_days where user_id = u and day = d;
           select coalesce(max(day), '-infinity'::date) into prev from renter_days where user_id = u and day < d;
           select min(day) into nxt from renter_days where user_id = u and day > d;
           perform renter_day_gap_move(d, prev, -1);
           if nxt is not null then
             perform renter_day_gap_move(nxt, prev, 1);
             perform renter_day_gap_move(nxt, d, -1);
           end if;
         end if;
         update rental_days set rentals = rentals - 1, renters = renters - (left_that_day = 0)::int, failed_ejects = failed_ejects - failed where day = d;
         delete from rental_days where day = d and rentals = 0;
       end $$;`,
    );
    this.addSql(
      `create function "rentals_activity_rollup"() returns trigger language plpgsql as $$
       begin
         if tg_op = 'UPDATE' and old.user_id = new.user_id and ${DAY('old')} = ${DAY('new')} then
           if ${FAILED('old')} <> ${FAILED('new')} then
             update rental_days set failed_ejects = failed_ejects + ${FAILED('new')} - ${FAILED('old')} where day = ${DAY('new')};
           end if;
           return null;
         end if;
         if tg_op <> 'INSERT' then perform rental_activity_remove(old.user_id, ${DAY('old')}, ${FAILED('old')}); end if;
         if tg_op <> 'DELETE' then perform rental_activity_add(new.user_id, ${DAY('new')}, ${FAILED('new')}); end if;
         return null;
       end $$;`,
    );
    this.addSql(
      `create trigger "rentals_activity_rollup" after insert or delete or update of user_id, created_at, status, failure_code on "rentals"
       for each row execute function "rentals_activity_rollup"();`,
    );
    this.addSql(
      `create function "rentals_activity_rollup_truncate"() returns trigger language plpgsql as $$
       begin truncate rental_days, renter_days, renter_day_gaps; return null; end $$;`,
    );
    this.addSql(
      `create trigger "rentals_activity_rollup_truncate" after truncate on "rentals" for each statement execute function "rentals_activity_rollup_truncate"();`,
    );
    for (const sql of RENTAL_ACTIVITY_REBUILD) this.addSql(sql);
  }
}
