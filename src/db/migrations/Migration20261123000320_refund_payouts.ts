import { Migration } from '@mikro-orm/migrations';

/**
 * Refunds of top-ups paid through a gateway without a refund API (eSewa): the ledger is reversed
 * and the money must be paid back by hand. `payout_status` is `pending` until finance records the
 * payout (`POST /api/admin/refunds/{id}/payout`), then `paid` with its reference.
 */
export class Migration20261123000320_refund_payouts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "refund_requests" add column "payout_status" varchar(16) null, add column "payout_reference" varchar(128) null,
      add column "payout_note" varchar(500) null, add column "payout_by" uuid null, add column "paid_out_at" timestamptz null;`);
    this.addSql(`alter table "refund_requests" add constraint "refund_requests_payout_check"
      check ("payout_status" is null or "payout_status" = 'pending' or ("payout_status" = 'paid' and "payout_reference" is not null and "paid_out_at" is not null));`);
    this.addSql(`create index "refund_requests_payout_index" on "refund_requests" ("payout_status", "completed_at") where "payout_status" is not null;`);
  }
}
