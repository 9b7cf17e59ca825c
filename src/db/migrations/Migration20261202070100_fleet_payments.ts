import { Migration } from '@mikro-orm/migrations';

/** Fleet EMI collections (issue 12): each Razorpay webhook once by its event id, each payment once by its id; days overdue per instalment. */
export class Migration20261202070100_fleet_payments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "fleet_payment_events" ("event_id" varchar(100) not null, "payment_id" varchar(64) not null, "loan_id" int not null, "seq" int not null, "amount_paise" bigint not null, "received_at" timestamptz not null default now(), constraint "fleet_payment_events_pkey" primary key ("event_id"), constraint "fleet_payment_events_payment_unique" unique ("payment_id"));`,
    );
    this.addSql(`create index "fleet_payment_events_received_index" on "fleet_payment_events" ("received_at");`);
    // Days overdue as the EMI schedule counts them (its own clock), for the overdue list and auto-disable.
    this.addSql(`alter table "fleet_emi_instalments" add column "overdue_days" int not null default 0;`);
  }
}
