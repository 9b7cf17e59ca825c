import { Migration } from '@mikro-orm/migrations';

/**
 * Water runs that park as `needs_attention` (issue 13): a payment whose gateway could not be asked
 * past its retries, an OTP whose SMS could not be sent. The transaction's row says which run, why,
 * at which step and since when; the admin desk lists the rows that have one.
 */
export class Migration20261202131000_water_attention extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "water_transactions" add column "attention_kind" varchar(16) null, add column "attention_reason" varchar(500) null, add column "attention_step" varchar(64) null, add column "attention_at" timestamptz null;`,
    );
    this.addSql(`create index "water_transactions_attention_index" on "water_transactions" ("attention_at") where "attention_at" is not null;`);
  }
}
