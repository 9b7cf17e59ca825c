import { Migration } from '@mikro-orm/migrations';

const OPEN = `'starting','active','overdue','cancelling','needs_attention'`;

/**
 * A rental whose workflow cannot go on by itself is parked as `needs_attention` (the reason, the
 * step, when, and the status it had) until an admin retries or resolves it. Parked rentals stay
 * open: the partial unique indexes keep one open rental per user and per power bank, parked included.
 */
export class Migration20261202000530_rental_attention extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "rentals" add column "attention_reason" varchar(500) null, add column "attention_step" varchar(64) null,
      add column "attention_at" timestamptz null, add column "attention_prev_status" varchar(16) null,
      add column "attention_resolved_by" uuid null, add column "attention_resolved_at" timestamptz null, add column "attention_note" varchar(500) null;`);
    this.addSql(`drop index "rentals_one_open_per_user";`);
    this.addSql(`drop index "rentals_one_open_per_power_bank";`);
    this.addSql(`create unique index "rentals_one_open_per_user" on "rentals" ("user_id") where "status" in (${OPEN});`);
    this.addSql(`create unique index "rentals_one_open_per_power_bank" on "rentals" ("power_bank_sn") where "status" in (${OPEN});`);
    this.addSql(`create index "rentals_needs_attention" on "rentals" ("attention_at") where "status" = 'needs_attention';`);
  }
}
