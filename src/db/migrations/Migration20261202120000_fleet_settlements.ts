import { Migration } from '@mikro-orm/migrations';

/**
 * Fleet prepayments and foreclosures (issue 12): each request is a row with its Razorpay payment
 * link (`reference_id` `prepay-<id>` / `close-<id>`) and, for a foreclosure, the quote it was made on.
 */
export class Migration20261202120000_fleet_settlements extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "fleet_loan_settlements" ("id" serial primary key, "loan_id" int not null references "fleet_loans" ("id"), "kind" varchar(16) not null check ("kind" in ('prepayment', 'foreclosure')), "amount_paise" bigint not null, "principal_paise" bigint not null, "dues_paise" bigint not null default 0, "accrued_interest_paise" bigint not null default 0, "fee_paise" bigint not null default 0, "quote_date" date not null, "status" varchar(16) not null default 'link_sent', "payment_link_id" varchar(64) null, "short_url" varchar(255) null, "payment_id" varchar(64) null, "created_by" uuid not null, "created_at" timestamptz not null default now(), "paid_at" timestamptz null);`,
    );
    this.addSql(`create index "fleet_loan_settlements_loan_index" on "fleet_loan_settlements" ("loan_id");`);
  }
}
