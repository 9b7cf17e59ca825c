import { Migration } from '@mikro-orm/migrations';

/** An admin closes a rental review (POST /api/admin/rentals/{id}/review/resolve): how, when, by whom, why. */
export class Migration20261123000520_rental_review_resolution extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "rentals" add column "review_resolution" varchar(32) null, add column "review_resolved_at" timestamptz null,
      add column "review_resolved_by" uuid null, add column "review_note" varchar(500) null;`);
    this.addSql(`alter table "rentals" add constraint "rentals_review_resolution_check"
      check ("review_resolution" is null or ("review_resolution" in ('power_bank_recovered', 'written_off', 'no_issue') and "review_reason" is not null and "review_resolved_at" is not null));`);
  }
}
