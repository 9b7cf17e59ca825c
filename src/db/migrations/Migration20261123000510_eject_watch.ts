import { Migration } from '@mikro-orm/migrations';

/**
 * Watching a bay after an eject timed out (src/modules/rentals/workflows/eject-watch.ts):
 * - `slots.reported_at`: when the kiosk itself last reported the bay (heartbeat, slot or return
 *   event), so state reported after an eject command can be told apart from stale state (the
 *   backend's own inventory writes move `updated_at` too);
 * - `rentals.review_reason` / `review_at`: a failed rental an admin should look at
 *   (`ejected_after_failure`: the bay let the power bank go; `eject_unconfirmed`: no fresh report);
 * - `power_banks.last_rental_id`: the rental that last took it out (who has it).
 */
export class Migration20261123000510_eject_watch extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "slots" add column "reported_at" timestamptz null;`);
    this.addSql(`alter table "rentals" add column "review_reason" varchar(32) null, add column "review_at" timestamptz null;`);
    this.addSql(`create index "rentals_review_index" on "rentals" ("review_at") where "review_reason" is not null;`);
    this.addSql(
      `create index "rentals_review_power_bank_index" on "rentals" ("power_bank_sn") where "review_reason" = 'ejected_after_failure' and "returned_at" is null;`,
    );
    this.addSql(`alter table "power_banks" add column "last_rental_id" uuid null;`);
  }
}
