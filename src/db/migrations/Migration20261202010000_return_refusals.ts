import { Migration } from '@mikro-orm/migrations';

/**
 * A kiosk `returned` event that cannot be true (issue 10: device messages bound to the station that
 * sent them) is kept for admins as outcome `refused` with the reason; it changed nothing.
 */
export class Migration20261202010000_return_refusals extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "power_bank_returns" add column "refusal_reason" varchar(200) null;`);
    this.addSql(`create index "power_bank_returns_refused_index" on "power_bank_returns" ("received_at") where "outcome" = 'refused';`);
  }
}
